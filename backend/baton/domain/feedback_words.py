"""The public rating page's words, in English and Spanish: every string the customer reads there."""

LANGUAGES = ("en", "es")

WORDS = {
    "en": {
        "title": "Rate your order",
        "heading": "How was order {order}?",
        "intro": "Hello {name}, your order was delivered. Tell us how we did.",
        "legend": "Your rating",
        "score": {1: "1 — very bad", 2: "2 — bad", 3: "3 — all right", 4: "4 — good", 5: "5 — very good"},
        "comment": "Comment (optional)",
        "send": "Send my rating",
        "change": "Change my rating",
        "thanks": "Thank you! Your rating: {score} of 5.",
        "stored": "You rated this order {score} of 5. You may change it below; it still counts once.",
        "sorry": "We are sorry. Someone from our team will get in touch.",
        "invalid": "Choose a rating from 1 to 5.",
        "not_found_title": "Page not found",
        "not_found": "This rating link is not valid. Please use the link from your email.",
        "language": "Language",
    },
    "es": {
        "title": "Valora tu pedido",
        "heading": "¿Qué tal el pedido {order}?",
        "intro": "Hola {name}, tu pedido fue entregado. Cuéntanos cómo lo hicimos.",
        "legend": "Tu valoración",
        "score": {1: "1 — muy mal", 2: "2 — mal", 3: "3 — regular", 4: "4 — bien", 5: "5 — muy bien"},
        "comment": "Comentario (opcional)",
        "send": "Enviar mi valoración",
        "change": "Cambiar mi valoración",
        "thanks": "¡Gracias! Tu valoración: {score} de 5.",
        "stored": "Valoraste este pedido con {score} de 5. Puedes cambiarla abajo; sigue contando una vez.",
        "sorry": "Lo sentimos. Alguien de nuestro equipo se pondrá en contacto.",
        "invalid": "Elige una valoración del 1 al 5.",
        "not_found_title": "Página no encontrada",
        "not_found": "Este enlace de valoración no es válido. Usa el enlace de tu correo.",
        "language": "Idioma",
    },
}
