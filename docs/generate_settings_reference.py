"""Print the settings table of docs/configuration.md from ``search.config``."""

from __future__ import annotations

from dataclasses import fields

from search.config import SETTING_HELP, Settings


def settings_table() -> str:
    """Return a Markdown table of every setting, its default and its meaning."""
    rows = ["| setting | environment variable | default | meaning |", "|---|---|---|---|"]
    for f in fields(Settings):
        default = repr(f.default) if f.default != "" else '""'
        rows.append(f"| `{f.name}` | `SOCIALSEARCH_{f.name.upper()}` | `{default}` | "
                    f"{SETTING_HELP[f.name]} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(settings_table(), end="")
