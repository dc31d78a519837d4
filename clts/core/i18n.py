"""Text kept in English and Hindi side by side (`name_en` / `name_hi`), read in the reader's language."""

from django.utils.translation import get_language


class bilingual:  # noqa: N801 - used like @property
    """A read-only attribute giving `<base>_hi` to a Hindi reader when it is filled, else `<base>_en`.

    `name = bilingual("name")` on a model with `name_en` and `name_hi`.
    """

    def __init__(self, base: str):
        self.english, self.hindi = f"{base}_en", f"{base}_hi"

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        if get_language() == "hi":
            hindi = getattr(obj, self.hindi, "")
            if hindi:
                return hindi
        return getattr(obj, self.english)
