"""Line layout for the Swift files the reference scripts write: no line over 120 columns.

The generated files carry `// swift-format-ignore-file` (the formatter would take minutes on
them and reflow every number), so the scripts lay them out themselves, the way `.ci/run`
checks every file of Tests: long lists break after a comma, never inside a token.

Standard library only, so a script can import it before numpy, scipy or gymnasium.
"""

from __future__ import annotations

WIDTH = 120


def wrap_list(head: str, items: list[str], tail: str, indent: str, width: int = WIDTH) -> list[str]:
    """`head` + the items joined by ", " + `tail`, broken into lines of at most `width` columns.

    A line breaks after an item's comma; a continuation line starts with `indent`, and the items
    fill each line greedily. `tail` sticks to the last item. One line when it all fits.

    - Parameters:
      - head: the first line's opening, with its indentation (`"            x: ["`).
      - items: the list's elements, each kept whole (`"0.5"`, `"statistic: 25.0"`).
      - tail: what closes the list (`"],"`, `"),"`).
      - indent: the continuation lines' indentation: one level deeper than the line's own for
        an array's elements, the same as the line's own for a call's further arguments.
    """
    pieces = [item + "," for item in items[:-1]] + [items[-1] + tail]
    lines = []
    line = head + pieces[0]
    for piece in pieces[1:]:
        if len(line) + 1 + len(piece) <= width:
            line += " " + piece
        else:
            lines.append(line)
            line = indent + piece
    lines.append(line)
    return lines


def wrap_string(head: str, text: str, tail: str, indent: str, width: int = WIDTH) -> list[str]:
    """`head` + a Swift string literal of `text` + `tail`, within `width` columns.

    A literal that fits stays on one line; a longer one becomes a multi-line literal whose lines
    end in `\\` (a line continuation: the string has no newline there), so its value is `text`.
    `text` must need no escaping (no `\\`, `"` or newline).

    - Parameters:
      - head: the line's opening, with its indentation (`"        actions: "`).
      - text: the string's value.
      - tail: what follows the literal (`","`).
      - indent: the multi-line literal's lines and closing delimiter.
    """
    assert not any(c in text for c in '\\"\n'), text
    single = f'{head}"{text}"{tail}'
    if len(single) <= width:
        return [single]
    chunk = (width - len(indent) - 1) // 10 * 10
    parts = [text[start:start + chunk] for start in range(0, len(text), chunk)]
    return (
        [head + '"""']
        + [indent + part + "\\" for part in parts[:-1]]
        + [indent + parts[-1], indent + '"""' + tail]
    )
