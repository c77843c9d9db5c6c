"""Capacity models of the worked designs: stated assumptions in, every derived number out.

A design's assumptions live in ``data/capacity/<design>.yaml`` and its
arithmetic in ``dsd_labs/capacity/<design with underscores>.py``; the pages
render both at build time, so no estimate in the text is typed by hand.
"""
