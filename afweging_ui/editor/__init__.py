"""The case editor's parts (page ``/casus-bewerken``, :mod:`afweging_ui.pages.editor`)."""
