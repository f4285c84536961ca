"""Print docs/cli.md from the click commands themselves (run: make docs-cli)."""

from __future__ import annotations

import click

from search.cli import main


def render(command: click.Command, name: str, parent: click.Context | None = None) -> list[str]:
    """Return Markdown for a command and its sub-commands."""
    settings = {**command.context_settings, "terminal_width": 100, "max_content_width": 100}
    ctx = click.Context(command, info_name=name, parent=parent, **settings)
    lines = [f"## `{ctx.command_path}`", "", "```", command.get_help(ctx), "```", ""]
    if isinstance(command, click.Group):
        for sub_name in command.list_commands(ctx):
            sub = command.get_command(ctx, sub_name)
            if sub is not None and not sub.hidden:
                lines += render(sub, sub_name, ctx)
    return lines


def reference() -> str:
    """Return the whole CLI reference page."""
    header = ["# Command-line reference", "",
              "Generated from the code by `make docs-cli`; a test fails when it is stale.", ""]
    return "\n".join(header + render(main, "socialsearch")).rstrip() + "\n"


if __name__ == "__main__":
    print(reference(), end="")
