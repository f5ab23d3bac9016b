"""The fixed cast `baton demo` seeds: warehouses, users, the catalog and the customers."""

from dataclasses import dataclass, field
from decimal import Decimal

# GS1's own documentation prefix: valid check digits, and nobody's real products.
COMPANY_PREFIX = "0614141"

WAREHOUSES = (
    {
        "code": "EAST",
        "name": "East Coast DC (Edison, NJ)",
        "address": {
            "line1": "300 Raritan Center Pkwy",
            "city": "Edison",
            "region": "NJ",
            "postal_code": "08837",
            "country": "US",
        },
        "time_zone": "America/New_York",
        "layout": {
            "aisles": 12,
            "bays_per_aisle": 20,
            "aisle_pitch_m": Decimal("3.0"),
            "aisle_length_m": Decimal("40.0"),
            "depot_x_m": Decimal("0"),
        },
    },
    {
        "code": "WEST",
        "name": "West Coast DC (Reno, NV)",
        "address": {
            "line1": "555 Double Eagle Ct",
            "city": "Reno",
            "region": "NV",
            "postal_code": "89521",
            "country": "US",
        },
        "time_zone": "America/Los_Angeles",
        # A wider, shorter building with the dock in the middle of the front wall.
        "layout": {
            "aisles": 14,
            "bays_per_aisle": 16,
            "aisle_pitch_m": Decimal("3.2"),
            "aisle_length_m": Decimal("36.0"),
            "depot_x_m": Decimal("20.8"),
        },
    },
)
LEVELS = (1, 2)

USERS = (
    {"role": "admin", "username": "admin", "password": "admin-demo-1", "display_name": "Morgan Lee"},
    {
        "role": "supervisor",
        "username": "supervisor",
        "password": "supervisor-demo-1",
        "display_name": "Sam Ortiz",
    },
    {"role": "office", "username": "office", "password": "office-demo-1", "display_name": "Priya Shah"},
    {
        "role": "picker",
        "username": "picker1",
        "password": "picker-demo-1",
        "display_name": "Jordan Kim",
        "badge": "B-PICK-01",
        "pin": "4821",
    },
    {
        "role": "picker",
        "username": "picker2",
        "password": "picker-demo-2",
        "display_name": "Casey Nguyen",
        "badge": "B-PICK-02",
        "pin": "5937",
    },
    {
        "role": "packer",
        "username": "packer",
        "password": "packer-demo-1",
        "display_name": "Riley Brooks",
        "badge": "B-PACK-01",
        "pin": "7302",
    },
)


@dataclass(frozen=True)
class Category:
    handling: str
    stock: tuple[int, int]  # opening units per warehouse, low..high
    order_qtys: tuple[int, ...]  # what a typical order line asks for
    food: bool = False


CATEGORIES = {
    "spice": Category("ambient", (120, 360), (6, 12, 12, 24, 36, 48), food=True),
    "stationery": Category("ambient", (150, 600), (6, 12, 24, 48)),
    "chemical": Category("hazmat", (48, 144), (2, 4, 6, 12)),
    "sauce": Category("chilled", (60, 180), (6, 12, 24), food=True),
    "frozen": Category("frozen", (48, 144), (4, 8, 12), food=True),
    "electronics": Category("antistatic", (40, 120), (1, 2, 5, 10)),
    "glassware": Category("fragile", (72, 240), (6, 12, 24)),
}


@dataclass(frozen=True)
class Item:
    sku: str
    name: str
    category: str
    price: str
    weight_kg: str
    dims_cm: tuple[str, str, str]
    case_units: int | None = None  # a GTIN-14 case barcode standing for this many units
    breaks: tuple[tuple[int, str], ...] = ()  # (min_qty, unit_price)
    only: str | None = None  # stocked in this warehouse only
    stock: dict[str, tuple[int, ...]] = field(default_factory=dict)  # fixed bins: warehouse -> units per bin


CATALOG = (
    # Spices: the field guide's manufacturer.
    Item(
        "SPICE-BBQ",
        "Smoky BBQ Rub, 8 oz jar",
        "spice",
        "4.00",
        "0.280",
        ("7", "7", "12"),
        12,
        ((100, "3.60"),),
        stock={"EAST": (150,), "WEST": (200, 120)},
    ),
    Item("SPICE-CAJUN", "Cajun Seasoning, 6 oz jar", "spice", "3.75", "0.220", ("7", "7", "11"), 12),
    Item("SPICE-GARAM", "Garam Masala, 4 oz jar", "spice", "4.50", "0.160", ("6", "6", "10"), 12),
    Item("SPICE-LEMON-PEPPER", "Lemon Pepper, 7 oz jar", "spice", "3.95", "0.250", ("7", "7", "12")),
    Item(
        "SPICE-GARLIC-HERB",
        "Garlic & Herb Blend, 6 oz jar",
        "spice",
        "3.95",
        "0.220",
        ("7", "7", "11"),
        12,
        ((144, "3.50"),),
    ),
    Item("SPICE-TACO", "Taco Seasoning, 8 oz jar", "spice", "3.50", "0.280", ("7", "7", "12"), 24),
    Item(
        "SPICE-PAPRIKA-SMOKED",
        "Smoked Paprika, 4 oz tin",
        "spice",
        "5.25",
        "0.150",
        ("8", "8", "6"),
        only="EAST",
    ),
    Item("SPICE-CHIPOTLE", "Chipotle Chili Powder, 5 oz jar", "spice", "4.75", "0.190", ("6", "6", "11")),
    Item("SPICE-ITALIAN", "Italian Herb Blend, 3 oz jar", "spice", "3.25", "0.120", ("6", "6", "10"), 12),
    Item(
        "SPICE-STEAK",
        "Montreal-Style Steak Seasoning, 11 oz jar",
        "spice",
        "5.50",
        "0.360",
        ("8", "8", "13"),
        12,
        ((96, "4.95"),),
    ),
    Item(
        "SPICE-CINNAMON",
        "Ceylon Cinnamon, ground, 4 oz jar",
        "spice",
        "6.25",
        "0.160",
        ("6", "6", "10"),
        only="WEST",
    ),
    Item(
        "SPICE-BBQ-5LB",
        "Smoky BBQ Rub, 5 lb foodservice tub",
        "spice",
        "38.00",
        "2.450",
        ("20", "20", "22"),
        only="EAST",
    ),
    # Pencils and stationery: the field guide's pencil manufacturer.
    Item(
        "PENCIL-HB",
        "No. 2 HB Graphite Pencil, yellow",
        "stationery",
        "0.20",
        "0.006",
        ("19", "0.8", "0.8"),
        12,
        ((144, "0.18"), (500, "0.16")),
        stock={"EAST": (300, 200)},
    ),
    Item(
        "PENCIL-2B",
        "2B Drawing Pencil",
        "stationery",
        "0.45",
        "0.006",
        ("19", "0.8", "0.8"),
        12,
        ((144, "0.40"),),
    ),
    Item("PENCIL-COLOR-24", "Colored Pencils, set of 24", "stationery", "6.50", "0.210", ("19", "10", "1.5")),
    Item(
        "PENCIL-CARPENTER",
        "Carpenter Pencil, flat, red",
        "stationery",
        "0.60",
        "0.009",
        ("18", "1.2", "0.7"),
        24,
        only="WEST",
    ),
    Item("PENCIL-MECH-07", "Mechanical Pencil, 0.7 mm", "stationery", "2.95", "0.012", ("14", "1", "1"), 12),
    Item(
        "LEAD-07-HB",
        "Pencil Leads 0.7 mm HB, tube of 40",
        "stationery",
        "1.80",
        "0.008",
        ("7", "1.5", "0.8"),
        24,
    ),
    Item("ERASER-VINYL", "White Vinyl Eraser", "stationery", "0.85", "0.020", ("6", "2", "1.2"), 24),
    Item("SHARPENER-2H", "Two-Hole Pencil Sharpener", "stationery", "1.95", "0.030", ("5", "3", "2.5")),
    Item(
        "NOTEBOOK-A5-DOT",
        "Dot-Grid Notebook A5, 192 pages",
        "stationery",
        "7.50",
        "0.320",
        ("21", "14.8", "1.6"),
        breaks=((50, "6.75"),),
    ),
    Item(
        "PAD-LEGAL-YELLOW",
        "Legal Pad 8.5 x 11.75 in, yellow, 50 sheets",
        "stationery",
        "1.60",
        "0.230",
        ("30", "22", "1"),
        12,
    ),
    Item(
        "PEN-GEL-BLACK",
        "Gel Pen 0.5 mm, black",
        "stationery",
        "1.25",
        "0.011",
        ("14", "1.2", "1.2"),
        12,
        ((120, "1.05"),),
    ),
    Item(
        "MARKER-PERM-BLACK",
        "Permanent Marker, fine tip, black",
        "stationery",
        "1.10",
        "0.013",
        ("13.5", "1.3", "1.3"),
        12,
    ),
    Item("HIGHLIGHTER-4", "Highlighters, 4 colors", "stationery", "3.40", "0.060", ("13", "7", "1.5")),
    Item(
        "STICKY-NOTES-3X3",
        "Sticky Notes 3 x 3 in, 12 pads",
        "stationery",
        "9.80",
        "0.540",
        ("8", "8", "15"),
        only="EAST",
    ),
    # Cleaning chemicals: hazmat, ground only.
    Item(
        "CHEM-DEGREASER-1G",
        "Industrial Degreaser Concentrate, 1 gal",
        "chemical",
        "24.00",
        "4.200",
        ("16", "11", "29"),
    ),
    Item(
        "CHEM-BLEACH-1G",
        "Sodium Hypochlorite Bleach 8.25%, 1 gal",
        "chemical",
        "6.90",
        "4.100",
        ("16", "11", "29"),
    ),
    Item("CHEM-IPA-99-1L", "Isopropyl Alcohol 99%, 1 L", "chemical", "11.50", "0.900", ("9", "9", "24"), 12),
    Item(
        "CHEM-OVEN-CLEANER",
        "Heavy-Duty Oven Cleaner, 19 oz aerosol",
        "chemical",
        "8.25",
        "0.620",
        ("7", "7", "24"),
        12,
    ),
    Item(
        "CHEM-DRAIN-ACID",
        "Acid Drain Opener, 32 oz",
        "chemical",
        "9.75",
        "1.250",
        ("10", "7", "24"),
        only="EAST",
    ),
    Item(
        "CHEM-GLASS-AERO",
        "Foaming Glass Cleaner, 19 oz aerosol",
        "chemical",
        "5.40",
        "0.600",
        ("7", "7", "24"),
        12,
    ),
    Item(
        "CHEM-SANITIZER-1G",
        "Quaternary Sanitizer Concentrate, 1 gal",
        "chemical",
        "19.50",
        "4.000",
        ("16", "11", "29"),
        only="WEST",
    ),
    # Chilled sauces: cold chain, US mainland only.
    Item(
        "SAUCE-SRIRACHA",
        "Fresh Sriracha, refrigerated, 12 oz",
        "sauce",
        "5.95",
        "0.420",
        ("6", "6", "18"),
        12,
    ),
    Item(
        "SAUCE-PESTO", "Basil Pesto, refrigerated, 7 oz tub", "sauce", "6.50", "0.230", ("10", "10", "5"), 12
    ),
    Item("SAUCE-SALSA-VERDE", "Salsa Verde, refrigerated, 16 oz", "sauce", "4.95", "0.520", ("9", "9", "9")),
    Item("SAUCE-TZATZIKI", "Tzatziki, 12 oz tub", "sauce", "4.75", "0.380", ("10", "10", "7"), only="EAST"),
    Item("SAUCE-AIOLI", "Garlic Aioli, 10 oz squeeze bottle", "sauce", "5.25", "0.330", ("6", "6", "17")),
    Item(
        "SAUCE-CHIMICHURRI", "Chimichurri, 8 oz jar", "sauce", "6.95", "0.300", ("7", "7", "10"), only="WEST"
    ),
    # Frozen.
    Item(
        "FRZ-DUMPLING-PORK",
        "Frozen Pork & Chive Dumplings, 24 ct",
        "frozen",
        "8.95",
        "0.720",
        ("25", "18", "5"),
        stock={"WEST": (18,)},
    ),
    Item("FRZ-PIZZA-MARG", "Frozen Margherita Pizza, 12 in", "frozen", "7.50", "0.560", ("32", "32", "4")),
    Item(
        "FRZ-EDAMAME-2LB",
        "Frozen Shelled Edamame, 2 lb bag",
        "frozen",
        "6.25",
        "0.910",
        ("30", "22", "5"),
        12,
    ),
    Item("FRZ-BERRY-3LB", "Frozen Mixed Berries, 3 lb bag", "frozen", "10.95", "1.360", ("33", "25", "6")),
    Item(
        "FRZ-GELATO-VANILLA",
        "Vanilla Bean Gelato, 1 pint",
        "frozen",
        "5.95",
        "0.520",
        ("10", "10", "11"),
        only="EAST",
    ),
    # Electronics: antistatic packaging.
    Item("ELEC-USBC-HUB-7", "USB-C Hub, 7 ports", "electronics", "34.00", "0.160", ("12", "5", "2")),
    Item(
        "ELEC-SSD-1TB", "Portable SSD, 1 TB", "electronics", "89.00", "0.060", ("11", "6", "1.2"), only="WEST"
    ),
    Item(
        "ELEC-RAM-16GB",
        "DDR4 Memory Module, 16 GB",
        "electronics",
        "42.00",
        "0.030",
        ("14", "4", "0.8"),
        only="WEST",
    ),
    Item(
        "ELEC-MCU-BOARD",
        "Microcontroller Dev Board",
        "electronics",
        "18.50",
        "0.025",
        ("7", "5.5", "2"),
        breaks=((50, "16.00"),),
    ),
    Item(
        "ELEC-TEMP-SENSOR-5",
        "Digital Temperature Sensor Module, pack of 5",
        "electronics",
        "12.90",
        "0.040",
        ("10", "7", "2"),
        only="WEST",
    ),
    Item("ELEC-PSU-12V-5A", "12 V 5 A Power Supply", "electronics", "16.75", "0.310", ("12", "6", "4")),
    # Glassware: fragile.
    Item(
        "GLASS-TUMBLER-12OZ",
        "Tumbler, 12 oz, clear",
        "glassware",
        "2.40",
        "0.280",
        ("8", "8", "12"),
        24,
        ((240, "2.10"),),
    ),
    Item("GLASS-WINE-16OZ", "Stemmed Wine Glass, 16 oz", "glassware", "4.60", "0.240", ("9", "9", "23"), 12),
    Item("GLASS-MASON-16OZ", "Mason Jar with Lid, 16 oz", "glassware", "1.90", "0.370", ("9", "9", "13"), 12),
    Item(
        "GLASS-BEAKER-250",
        "Borosilicate Beaker, 250 mL",
        "glassware",
        "3.80",
        "0.110",
        ("7", "7", "9.5"),
        only="WEST",
    ),
    Item("GLASS-CARAFE-1L", "Glass Carafe, 1 L", "glassware", "12.50", "0.620", ("11", "11", "25")),
    Item(
        "GLASS-SPICE-JAR-4OZ",
        "Glass Spice Jar with Shaker Lid, 4 oz",
        "glassware",
        "1.15",
        "0.140",
        ("5", "5", "10"),
        24,
        ((240, "0.95"),),
    ),
)


def _address(label, name, line1, city, region, postal_code, country="US") -> dict:
    return {
        "label": label,
        "name": name,
        "line1": line1,
        "city": city,
        "region": region,
        "postal_code": postal_code,
        "country": country,
    }


# key -> customer as POST /customers takes it. Keys are how the demo's stories name them.
CUSTOMERS = {
    "spice_route": {
        "name": "Spice Route Wholesale",
        "email": "orders@spiceroute.example",
        "type": "wholesale",
        "ship_policy": "complete",
        "discount_pct": Decimal("10"),
        "credit_limit": Decimal("25000.00"),
        "addresses": [_address("main", "Spice Route Wholesale", "350 5th Ave", "New York", "NY", "10118")],
    },
    "great_lakes": {
        "name": "Great Lakes Grocers",
        "email": "purchasing@greatlakesgrocers.example",
        "type": "wholesale",
        "ship_policy": "complete",
        "discount_pct": Decimal("12"),
        "credit_limit": Decimal("50000.00"),
        "addresses": [
            _address(
                "Chicago store", "Great Lakes Grocers - Loop", "233 S Wacker Dr", "Chicago", "IL", "60606"
            ),
            _address(
                "Milwaukee store",
                "Great Lakes Grocers - Downtown",
                "200 E Wells St",
                "Milwaukee",
                "WI",
                "53202",
            ),
        ],
    },
    "cascade": {
        "name": "Cascade Office Supply",
        "email": "buyers@cascadeoffice.example",
        "type": "wholesale",
        "ship_policy": "partial",
        "discount_pct": Decimal("10"),
        "credit_limit": Decimal("40000.00"),
        "addresses": [_address("main", "Cascade Office Supply", "400 Broad St", "Seattle", "WA", "98109")],
    },
    "lone_star": {
        "name": "Lone Star Restaurant Supply",
        "email": "po@lonestarsupply.example",
        "type": "wholesale",
        "ship_policy": "complete",
        "discount_pct": Decimal("8"),
        "credit_limit": Decimal("30000.00"),
        "addresses": [
            _address("main", "Lone Star Restaurant Supply", "1100 Congress Ave", "Austin", "TX", "78701")
        ],
    },
    "twin_cities": {
        "name": "Twin Cities Janitorial",
        "email": "supplies@twincitiesjan.example",
        "type": "wholesale",
        "ship_policy": "complete",
        "discount_pct": Decimal("6"),
        "credit_limit": Decimal("20000.00"),
        "addresses": [
            _address("main", "Twin Cities Janitorial", "350 S 5th St", "Minneapolis", "MN", "55415")
        ],
    },
    "corner_stationers": {
        "name": "Corner Stationers",
        "email": "hello@cornerstationers.example",
        "type": "wholesale",
        "ship_policy": "complete",
        "discount_pct": Decimal("5"),
        "credit_limit": Decimal("50.00"),
        "addresses": [_address("main", "Corner Stationers", "1 Faneuil Hall Sq", "Boston", "MA", "02109")],
    },
    "maple_leaf": {
        "name": "Maple Leaf Fine Foods",
        "email": "import@mapleleaffoods.example",
        "type": "wholesale",
        "ship_policy": "complete",
        "discount_pct": Decimal("7.5"),
        "credit_limit": Decimal("20000.00"),
        "addresses": [
            _address("main", "Maple Leaf Fine Foods", "290 Bremner Blvd", "Toronto", "ON", "M5V 3L9", "CA")
        ],
    },
    "harbor_spice": {
        "name": "Harbor Spice Market",
        "email": "shop@harborspice.example",
        "type": "retail",
        "ship_policy": "complete",
        "addresses": [_address("main", "Harbor Spice Market", "45 Main St", "Brooklyn", "NY", "11201")],
    },
    "peachtree_lab": {
        "name": "Peachtree Lab Goods",
        "email": "lab@peachtreelab.example",
        "type": "retail",
        "ship_policy": "complete",
        "addresses": [
            _address("main", "Peachtree Lab Goods", "100 Peachtree St NW", "Atlanta", "GA", "30303")
        ],
    },
    "mile_high": {
        "name": "Mile High Cafe",
        "email": "kitchen@milehighcafe.example",
        "type": "retail",
        "ship_policy": "complete",
        "addresses": [_address("main", "Mile High Cafe", "1701 Wynkoop St", "Denver", "CO", "80202")],
    },
    "sunshine": {
        "name": "Sunshine Kitchens",
        "email": "chef@sunshinekitchens.example",
        "type": "retail",
        "language": "es",  # its emails come in Spanish (see the office's demo mailbox)
        "ship_policy": "complete",
        "addresses": [_address("main", "Sunshine Kitchens", "400 S Orange Ave", "Orlando", "FL", "32801")],
    },
    "desert_bloom": {
        "name": "Desert Bloom Bakery",
        "email": "orders@desertbloom.example",
        "type": "retail",
        "ship_policy": "complete",
        "addresses": [
            _address("main", "Desert Bloom Bakery", "200 W Washington St", "Phoenix", "AZ", "85003")
        ],
    },
    "rose_city": {
        "name": "Rose City Market",
        "email": "market@rosecity.example",
        "type": "retail",
        "ship_policy": "complete",
        "addresses": [_address("main", "Rose City Market", "1221 SW 4th Ave", "Portland", "OR", "97204")],
    },
    "bay_area_repair": {
        "name": "Bay Area Electronics Repair",
        "email": "parts@bayarearepair.example",
        "type": "retail",
        "ship_policy": "complete",
        "addresses": [
            _address("main", "Bay Area Electronics Repair", "200 E Santa Clara St", "San Jose", "CA", "95113")
        ],
    },
}

# Customers that get the everyday orders; the others only appear in the demo's stories.
EVERYDAY_CUSTOMERS = (
    "spice_route",
    "great_lakes",
    "cascade",
    "lone_star",
    "twin_cities",
    "harbor_spice",
    "peachtree_lab",
    "mile_high",
    "sunshine",
    "desert_bloom",
    "rose_city",
    "bay_area_repair",
)


def _supplier(
    name, email, currency, terms, lead_days, prefix, line1, city, region, postal_code, country="US"
):
    address = {"line1": line1, "city": city, "region": region, "postal_code": postal_code, "country": country}
    return {
        "spec": {
            "name": name,
            "email": email,
            "currency": currency,
            "payment_terms": terms,
            "lead_time_days": lead_days,
            "address": address,
        },
        "prefix": prefix,  # the supplier's own SKUs: prefix + item number
    }


# One supplier per category: the preferred source of every SKU of it, for every warehouse.
SUPPLIERS = {
    "spice": _supplier(
        "Malabar Spice Mills",
        "po@malabarspice.example",
        "USD",
        "Net 30",
        21,
        "MSM-",
        "88 Harbor Rd",
        "Savannah",
        "GA",
        "31401",
    ),
    "stationery": _supplier(
        "Paper & Pen Wholesale",
        "orders@paperpen.example",
        "USD",
        "Net 45",
        10,
        "PPW-",
        "1200 Industrial Pkwy",
        "Dayton",
        "OH",
        "45402",
    ),
    "chemical": _supplier(
        "CleanChem Supply",
        "sales@cleanchem.example",
        "USD",
        "Net 30",
        14,
        "CCS-",
        "45 Refinery Way",
        "Houston",
        "TX",
        "77002",
    ),
    "sauce": _supplier(
        "Cold Kitchen Foods",
        "supply@coldkitchen.example",
        "USD",
        "Net 15",
        7,
        "CKF-",
        "9 Creamery Ln",
        "Madison",
        "WI",
        "53703",
    ),
    "frozen": _supplier(
        "Cold Kitchen Foods",
        "supply@coldkitchen.example",
        "USD",
        "Net 15",
        7,
        "CKF-",
        "9 Creamery Ln",
        "Madison",
        "WI",
        "53703",
    ),
    "electronics": _supplier(
        "Shenzhen Circuit Parts",
        "export@szcircuit.example",
        "USD",
        "Prepaid",
        35,
        "SCP-",
        "18 Keji Rd",
        "Shenzhen",
        "GD",
        "518057",
        "CN",
    ),
    "glassware": _supplier(
        "Vidrio Glassworks",
        "pedidos@vidrio.example",
        "EUR",
        "Net 60",
        28,
        "VG-",
        "Calle del Vidrio 4",
        "Valencia",
        "V",
        "46001",
        "ES",
    ),
}
# Order history (`baton demo` seeds three years of it, delivered): per category, order lines per SKU per day
# on an average weekday, and the day of the year its season peaks (None: no yearly season). Weekends are
# quiet (WEEKLY, Monday first).
HISTORY_DAYS = 3 * 365
WEEKLY = (1.25, 1.2, 1.15, 1.1, 1.0, 0.35, 0.2)
HISTORY = {
    "spice": (0.7, 335),  # the holidays: December's cooking
    "stationery": (0.5, 240),  # back to school
    "chemical": (0.1, None),  # intermittent
    "sauce": (0.35, 190),  # summer grilling
    "frozen": (0.25, 20),  # winter
    "electronics": (0.06, None),  # intermittent
    "glassware": (0.2, 320),
}
SEASON_STRENGTH = 0.6  # the peak is 1.6x the average, the trough 0.4x


@dataclass(frozen=True)
class DemoLot:
    code: str  # GS1 AI (10): at most 20 characters
    days: int  # expiry, days from the day the demo is seeded
    share: int  # parts of each bin's opening units that belong to this lot


# Spices kept by lot and expiry. Every bin of these SKUs holds all their lots, the first one expiring within
# weeks: allocation takes it first (first expiry, first out), so the demo's first orders and pick stops name
# it. One lot of the Italian herbs is recalled (RECALLED_LOT), so allocation passes it by.
LOTS = {
    "SPICE-GARAM": (DemoLot("GM24-117", 40, 1), DemoLot("GM25-032", 250, 2), DemoLot("GM25-089", 430, 2)),
    "SPICE-ITALIAN": (DemoLot("IT24-201", 55, 1), DemoLot("IT25-014", 300, 2), DemoLot("IT25-066", 480, 1)),
    "SPICE-CINNAMON": (DemoLot("CN24-305", 30, 1), DemoLot("CN25-047", 365, 2)),
}
RECALLED_LOT = ("SPICE-ITALIAN", "IT25-066", "Supplier recall: foreign matter in one batch (demo)")
