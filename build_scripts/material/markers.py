"""The HTML markers the wings share: written by one, looked for by another, defined here once.

A leaf module (it imports nothing): the runtime writes a calculator, the Obsidian wing writes embeds and
"Linked from" lists, and the Material workarounds look for both.
"""

#: The start of a prerendered calculator (runtime/calculator_fence.py writes it, followed by its id):
#: a page holding it has a calculator, gets the search gate and starts the runtime early.
CALCULATOR = '<div class="atlas-calculator" id="'

#: Material's search leaves out any element with this attribute. Embedded text is found by search in
#: the note that holds it, as in Obsidian, whose search reads each note's own text: not once more in
#: every page that embeds it (obsidian/embeds.py); nor are "Linked from" lists (obsidian/manager.py).
SEARCH_EXCLUDE = "data-search-exclude"
