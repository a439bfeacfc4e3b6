"""The read path: what makes pages and the API fast without changing what they say.

The data version (``data_version``: a counter every edit moves), the page cache keyed on it
(``pagecache``), the asset list's facet counts (``facets``) and querysets compiled once per process
(``prepared``). Everything here is derived from the curated tables and may be thrown away: nothing in
this package is a source of truth, and it must not write curated data, import views, forms or the
API, or queue work except by name through ``programs.jobs``.
"""
