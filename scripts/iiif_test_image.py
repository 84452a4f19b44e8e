#!/usr/bin/env python3
"""Writes the 1000x1000 test image that the IIIF Image API validator expects.

The official validator (`iiif-validator` on PyPI) checks the pixels of the image it is
served under the identifier 67352ccc-d1b0-11e1-89ae-279075081939: a 10x10 grid of 100 px
squares, one solid colour each. The package does not ship that image, so this script draws
it from the validator's own colour table, imported at run time, and checks every square
with the validator's own comparison. Run it with the Python of the venv made by
scripts/iiif-validate (it needs iiif_validator and Pillow):

    iiif_test_image.py OUT.png
"""

import contextlib
import io
import sys
from types import SimpleNamespace

from PIL import Image

# The validator prints "Importing 3" on stdout when its test modules are imported.
with contextlib.redirect_stdout(io.StringIO()):
    from iiif_validator.validator import ValidationInfo

SQUARE = 100  # px; the tests crop at x*100+13 .. x*100+87 (iiif_validator/tests/id_squares.py)


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: iiif_test_image.py OUT.png")
    # iiif_validator/validator.py, ValidationInfo.__init__: self.colorInfo, indexed
    # colorInfo[x][y] with x the column and y the row of the square (see do_test_square).
    info = ValidationInfo()
    table = info.colorInfo
    n = len(table)
    img = Image.new("RGB", (n * SQUARE, n * SQUARE))
    for x in range(n):
        for y in range(n):
            img.paste(table[x][y], (x * SQUARE, y * SQUARE, (x + 1) * SQUARE, (y + 1) * SQUARE))
    for x in range(n):
        for y in range(n):
            box = (x * SQUARE + 13, y * SQUARE + 13, x * SQUARE + 87, y * SQUARE + 87)
            # do_test_square logs into result.tests, as on an ImageAPI (its result object)
            if not info.do_test_square(img.crop(box), x, y, SimpleNamespace(tests=[])):
                sys.exit(f"iiif_test_image: square {x},{y} fails the validator's colour check")
    img.save(sys.argv[1], format="PNG")
    print(f"{sys.argv[1]}: {img.width}x{img.height}")


if __name__ == "__main__":
    main()
