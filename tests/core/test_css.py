"""The portal's stylesheet keeps the Bootstrap rules its templates use and drops the others."""

from clts.core import css

BOOTSTRAP_LIKE = """
:root{--bs-blue:#0d6efd}
body{margin:0}
.btn{display:inline-block}
.btn-primary{color:#fff}
.carousel{position:relative}
.text-bg-danger{color:#fff}
.table>:not(caption)>*>*{padding:.5rem}
.navbar-expand-lg .navbar-collapse,.offcanvas .navbar-collapse{display:flex}
@media (min-width:992px){.d-lg-none{display:none!important}.d-lg-flex{display:flex!important}}
@keyframes spin{to{transform:rotate(360deg)}}
"""


def test_only_the_classes_in_use_are_kept():
    words = {"btn", "btn-primary", "table", "navbar-expand-lg", "navbar-collapse", "d-lg-none"}
    kept = css.purge(BOOTSTRAP_LIKE, words, prefixes=("text-bg-",))

    for rule in (":root{--bs-blue:#0d6efd}", "body{margin:0}", ".btn{display:inline-block}", ".btn-primary{"):
        assert rule in kept
    assert ".table>:not(caption)>*>*{padding:.5rem}" in kept
    # A class built from pieces in a template (text-bg-{{ colour }}) is kept through its prefix.
    assert ".text-bg-danger{color:#fff}" in kept
    # One selector of a list is dropped, the rule stays for the other.
    assert ".navbar-expand-lg .navbar-collapse{display:flex}" in kept and "offcanvas" not in kept
    assert "@media (min-width:992px){.d-lg-none{display:none!important}}" in kept
    assert "carousel" not in kept and "d-lg-flex" not in kept
    assert "@keyframes spin" in kept


def test_the_portal_stylesheet_carries_what_the_layout_needs():
    built = css.stylesheet()
    for selector in (
        ".navbar-collapse",
        ".dropdown-menu.show",
        ".visually-hidden-focusable",
        ".invalid-feedback",
        ".table-responsive",
        ".col-lg-6",
        ".table-stack",
        ".skip-link",
    ):
        assert selector in built, selector
    assert ".carousel" not in built and ".offcanvas-start" not in built and ".placeholder-wave" not in built
    assert len(built) < 100_000  # Bootstrap's whole stylesheet is 232 KB
