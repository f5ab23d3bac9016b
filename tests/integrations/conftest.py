from .shopify_sender import shop_secret  # noqa: F401 - the fixture
