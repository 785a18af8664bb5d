"""Extract the messages and update the Vietnamese catalog: see ``vanthu/catalog.py``.

.venv/bin/python tools/i18n_catalog.py          # update pipeline/locale/*.pot and vi/LC_MESSAGES/vanthu.po
.venv/bin/python tools/i18n_catalog.py --check  # exit 1 if a message lacks its Vietnamese
"""

import sys

from vanthu.catalog import main

if __name__ == "__main__":
    sys.exit(main())
