"""Rules that derive facts from milestones, pure and without queries (``regulatory``).

``programs.derivation.derived`` applies them to an asset and writes the result; these modules only
compute, so they sit right above the milestone vocabulary and must not import models' managers,
views, forms or the API.
"""
