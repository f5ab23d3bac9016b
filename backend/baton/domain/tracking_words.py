"""The public tracking page's words, in English and Spanish: every string the customer reads."""

LANGUAGES = ("en", "es")

STAGE = {
    "en": {
        "preparing": "We are preparing your order",
        "packed": "Packed, waiting for its label",
        "labelled": "Label created, waiting for the carrier",
        "shipped": "Handed to the carrier",
        "pre_transit": "The carrier has the shipment details",
        "in_transit": "On its way",
        "out_for_delivery": "Out for delivery",
        "delivered": "Delivered",
        "delivery_failed": "Delivery attempt failed",
        "exception": "Held up in transit",
        "returned_to_sender": "Returned to sender",
        "cancelled": "Cancelled",
    },
    "es": {
        "preparing": "Estamos preparando tu pedido",
        "packed": "Empaquetado, esperando su etiqueta",
        "labelled": "Etiqueta creada, esperando al transportista",
        "shipped": "Entregado al transportista",
        "pre_transit": "El transportista tiene los datos del envío",
        "in_transit": "En camino",
        "out_for_delivery": "En reparto",
        "delivered": "Entregado",
        "delivery_failed": "Intento de entrega fallido",
        "exception": "Retenido en tránsito",
        "returned_to_sender": "Devuelto al remitente",
        "cancelled": "Cancelado",
    },
}

WORDS = {
    "en": {
        "title": "Track your order",
        "greeting": "Hello {name},",
        "order": "Order",
        "status": "Status",
        "estimated_delivery": "Estimated delivery",
        "delivered_on": "Delivered on",
        "destination": "Going to",
        "carrier": "Carrier",
        "tracking_number": "Tracking number",
        "track_with_carrier": "Track with {carrier}",
        "parcels": "Parcels",
        "parcel": "Parcel {n} of {count}",
        "timeline": "History",
        "no_events": "No news from the carrier yet.",
        "late": "Your shipment is running late. We are sorry, and we are on it.",
        "not_found_title": "Tracking page not found",
        "not_found": "This tracking link is not valid. Please check the link in your email.",
        "language": "Language",
        "unknown": "Not known yet",
        "invoice": "Invoice",
        "footer": "This page shows no personal details beyond your first name and city.",
        "return_title": "Return items",
        "return_intro": "Choose what you want to send back and why. We will email you the return number.",
        "return_item": "Item",
        "return_qty": "Quantity to return (up to {n})",
        "return_reason": "Reason",
        "return_submit": "Request the return",
        "return_done_title": "Return requested",
        "return_done": "Your return {rma} is requested. We will email you once it is authorized.",
        "return_nothing": "Choose at least one item and a quantity.",
        "return_back": "Back to tracking",
    },
    "es": {
        "title": "Sigue tu pedido",
        "greeting": "Hola {name}:",
        "order": "Pedido",
        "status": "Estado",
        "estimated_delivery": "Entrega estimada",
        "delivered_on": "Entregado el",
        "destination": "Destino",
        "carrier": "Transportista",
        "tracking_number": "Número de seguimiento",
        "track_with_carrier": "Seguir en {carrier}",
        "parcels": "Paquetes",
        "parcel": "Paquete {n} de {count}",
        "timeline": "Historial",
        "no_events": "Aún no hay noticias del transportista.",
        "late": "Tu envío lleva retraso. Lo sentimos y ya nos estamos ocupando.",
        "not_found_title": "Página de seguimiento no encontrada",
        "not_found": "Este enlace de seguimiento no es válido. Revisa el enlace de tu correo.",
        "language": "Idioma",
        "unknown": "Aún no se sabe",
        "invoice": "Factura",
        "footer": "Esta página no muestra más datos personales que tu nombre y tu ciudad.",
        "return_title": "Devolver artículos",
        "return_intro": (
            "Elige qué quieres devolver y por qué. Te enviaremos el número de devolución por correo."
        ),
        "return_item": "Artículo",
        "return_qty": "Cantidad a devolver (hasta {n})",
        "return_reason": "Motivo",
        "return_submit": "Solicitar la devolución",
        "return_done_title": "Devolución solicitada",
        "return_done": "Tu devolución {rma} está solicitada. Te escribiremos cuando esté autorizada.",
        "return_nothing": "Elige al menos un artículo y una cantidad.",
        "return_back": "Volver al seguimiento",
    },
}

MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "es": [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
}
WEEKDAYS = {
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "es": ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
}


def language(asked: str | None, customer: str | None, accepted: str | None) -> str:
    """`?lang=` first, then the customer's own language, then the browser's choice (Accept-Language, already
    matched to LANGUAGES), then English."""
    for choice in (asked, customer, accepted):
        if choice in LANGUAGES:
            return choice
    return "en"


def day(value, lang: str) -> str:
    """A date as people write it: "Friday, December 4, 2026" / "viernes, 4 de diciembre de 2026"."""
    weekday, month = WEEKDAYS[lang][value.weekday()], MONTHS[lang][value.month - 1]
    if lang == "es":
        return f"{weekday}, {value.day} de {month} de {value.year}"
    return f"{weekday}, {month} {value.day}, {value.year}"


def moment(value, lang: str) -> str:
    """A time in a timeline (UTC, the page has no script to know the reader's zone)."""
    return f"{day(value, lang)} {value:%H:%M} UTC"


# Return reasons as the customer reads them (domain/return_reasons.py REASONS).
RETURN_REASONS = {
    "en": {
        "wrong_item_sent": "You sent the wrong item",
        "arrived_late": "It arrived too late",
        "damaged_in_transit": "It arrived damaged",
        "no_longer_needed": "I no longer need it",
        "ordered_by_mistake": "I ordered it by mistake",
        "defective": "It does not work",
        "not_as_described": "It is not as described",
    },
    "es": {
        "wrong_item_sent": "Me enviaron un artículo equivocado",
        "arrived_late": "Llegó demasiado tarde",
        "damaged_in_transit": "Llegó dañado",
        "no_longer_needed": "Ya no lo necesito",
        "ordered_by_mistake": "Lo pedí por error",
        "defective": "No funciona",
        "not_as_described": "No es como se describía",
    },
}
