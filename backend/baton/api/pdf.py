"""A PDF document as an HTTP answer: shown in the browser (inline) or saved (attachment) under its number."""

from flask import Response


def pdf_response(body: bytes, number: str, *, attachment: bool = False) -> Response:
    disposition = "attachment" if attachment else "inline"
    return Response(
        body,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'{disposition}; filename="{number}.pdf"'},
    )
