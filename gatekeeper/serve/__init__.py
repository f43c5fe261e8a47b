"""`gatekeeper serve`: the maturity model's assessment app, a local web application.

Browse the model (catalog data), answer the attested questions of the questionnaire with the
answers a control gives pre-filled from the latest results, see the levels recomputed by
gatekeeper.scoring as answers change, save them to the attestations file without losing a
comment or someone else's edit, and see the organization's systems when a results history is
configured. Starlette and Jinja2 are imported only by this package (the ``serve`` extra).
"""
