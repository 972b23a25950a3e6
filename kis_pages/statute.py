"""Default texts taken from Polish law (ustawa z 13 czerwca 2003 r. o zatrudnieniu socjalnym).

They are content in Polish, not interface text: editors may change them per club.
"""

LEGAL_BASIS = "Art. 18 ust. 1 ustawy z dnia 13 czerwca 2003 r. o zatrudnieniu socjalnym."

# Art. 1 ust. 2, as amended by Dz.U. 2022 poz. 218; all must also be socially excluded.
ELIGIBLE_GROUPS = [
    "osoby bezdomne realizujące indywidualny program wychodzenia z bezdomności",
    "osoby uzależnione od alkoholu",
    "osoby uzależnione od narkotyków lub innych środków odurzających",
    "osoby z zaburzeniami psychicznymi",
    "osoby długotrwale bezrobotne",
    "osoby zwalniane z zakładów karnych, mające trudności w integracji ze środowiskiem",
    "uchodźcy realizujący indywidualny program integracji",
    "osoby z niepełnosprawnościami",
]

# Art. 18 ust. 3 and 4: participation is voluntary and based on a kontrakt socjalny.
HOW_TO_JOIN = (
    "<p>Udział w zajęciach Klubu jest dobrowolny i bezpłatny. Warunkiem uczestnictwa jest "
    "zawarcie i realizacja kontraktu socjalnego (art. 108 ustawy z dnia 12 marca 2004 r. "
    "o pomocy społecznej) z pracownikiem socjalnym. Okres uczestnictwa ustala się "
    "indywidualnie, a na zakończenie uczestnik otrzymuje zaświadczenie.</p>"
)

WORKPLACE_LEGAL_BASIS = (
    "Art. 73a ustawy z dnia 20 kwietnia 2004 r. o promocji zatrudnienia i instytucjach rynku pracy."
)
