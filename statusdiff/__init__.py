"""statusdiff: will this Marketo program sync with that Salesforce campaign?"""

from __future__ import annotations

__version__ = "0.1.0"
