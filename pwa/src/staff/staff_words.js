/** The staff pages' sign-in words, in English and Spanish (the office speaks English; the board spreads both). */

export const STAFF_EN = {
  signin_title: "{title}: sign in", username: "Username", password: "Password", sign_in: "Sign in",
  signin_wrong: "Wrong username or password.", sign_out: "Sign out",
  not_allowed_role: "Not allowed: {user} is signed in as {role}; this page is for supervisors and office staff.",
};

export const STAFF_ES = {
  signin_title: "{title}: entrar", username: "Usuario", password: "Contraseña", sign_in: "Entrar",
  signin_wrong: "Usuario o contraseña incorrectos.", sign_out: "Salir",
  not_allowed_role: "No permitido: {user} entró como {role}; esta página es para supervisores y personal de oficina.",
};
