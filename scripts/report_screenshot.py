#!/usr/bin/env python3
# Screenshots one section of a `pbt report` page with headless Chromium, cropped to its content
# (the README's docs/schedule-*.png and docs/compare-*.png). Needs chromium and Pillow.
# Usage: scripts/report_screenshot.py REPORT.html SECTION_ID OUT.png   (SECTION_ID: comparison, winning-schedule, ...)
import subprocess, sys, tempfile, os
from PIL import Image, ImageChops
report, section, out = sys.argv[1:4]
html = open(report).read()
css = ('<style>header.top{display:none} main section:not(#%s){display:none} '
       'body{margin:0;padding:8px} main{margin:0}</style>' % section)
with tempfile.NamedTemporaryFile('w', suffix='.html', delete=False) as f:
    f.write(html.replace('</head>', css + '</head>'))
    page = f.name
raw = out + '.raw.png'
subprocess.run(['chromium', '--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars',
                '--window-size=1100,3000', '--screenshot=' + raw, 'file://' + page],
               check=True, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
image = Image.open(raw).convert('RGB')
background = Image.new('RGB', image.size, image.getpixel((image.width - 1, image.height - 1)))
box = ImageChops.difference(image, background).getbbox()
left, top, right, bottom = box
image.crop((max(0, left - 8), max(0, top - 8), min(image.width, right + 8), min(image.height, bottom + 8))).save(out, optimize=True)
os.remove(raw); os.remove(page)
print(out, image.crop(box).size)
