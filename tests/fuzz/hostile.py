"""What the fuzz tests type: random text, and the strings an attacker or an unlucky paste
would send."""

from hypothesis import strategies as st

HOSTILE_STRINGS = [
    "",
    " ",
    "\x00",
    "abc\x00def",
    "\r\n",
    "\t",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}{% debug %}",
    "' OR 1=1 --",
    "'; DROP TABLE plans_serviceplan; --",
    '=HYPERLINK("http://evil.example","click")',
    "=cmd|' /C calc'!A0",
    "../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "%00",
    "%s%s%s%n",
    "\u202eevil\u202c",
    "\ufeff",
    "ﷺ" * 50,
    "😀" * 30,
    "Ω≈ç√∫",
    "-1",
    "0",
    "-0",
    "1e999",
    "-1e999",
    "NaN",
    "Infinity",
    "9" * 40,
    "-" + "9" * 40,
    "0.00000000000000000001",
    "1,000,000",
    "(1,711)",
    "²",
    "٣",
    "2012-02-30",
    "0000-00-00",
    "9999-12-31",
    "2012-13-01",
    "10000-01-01",
    "2012/13",
    "2012-08",
    "13/2012",
    "null",
    "None",
    "true",
    "[]",
    "{}",
    "a" * 5_000,
    "long " * 2_000,
]

# Text as a browser could send it: any Unicode but lone surrogates, which no encoding carries.
any_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=300)
numbers_as_text = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(repr),
)
hostile_text = st.one_of(
    st.sampled_from(HOSTILE_STRINGS),
    any_text,
    numbers_as_text,
    st.builds(lambda a, b: a + b, st.sampled_from(HOSTILE_STRINGS), any_text),
)
