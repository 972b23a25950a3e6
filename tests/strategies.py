"""Hypothesis strategies for what clients send: strange, broken and far too long text."""

from hypothesis import strategies as st

NASTY_PIECES = [
    "\x00",
    "a\x00b",
    "\u200b",  # zero-width space
    "\u200d",  # zero-width joiner
    "\u200f",  # right-to-left mark
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\ufeff",  # byte order mark
    "\r\n",
    "\t",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\u2028",
    "👩🏽‍💻",
    "🇵🇱",
    "﷽",
    "e\u0301",
    "Zażółć gęślą jaźń",
    "עִבְרִית",
    "العربية",
    "<script>alert(1)</script>",
    "{{ request }}",
    "%(name)s",
    "' OR 1=1 --",
    "\\",
    "\U0010ffff",
    "\ufffd",
]
# Just over each limit the form or the gate has, and far over all of them.
HUGE_LENGTHS = [255, 256, 320, 4000, 4001, 20_001, 1_000_000]

any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
nasty_text = st.one_of(
    any_text, st.lists(st.one_of(st.sampled_from(NASTY_PIECES), any_text), max_size=5).map("".join)
)


def repeated_text(pieces, lengths):
    """One of `pieces` repeated to one of `lengths` characters."""
    return st.builds(
        lambda piece, length: (piece * length)[:length],
        st.sampled_from(pieces),
        st.sampled_from(lengths),
    )


huge_text = repeated_text(["a", "ą", "👩🏽‍💻", "\u200b", " ", "\x00"], HUGE_LENGTHS)
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**40), 10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    nasty_text,
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(any_text, children, max_size=3)
    ),
    max_leaves=6,
)
