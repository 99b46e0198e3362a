"""Write each inline <script> once per page.

Sphinx 7.4 lists a script added with a body (no file) twice when an extension adds it after the
builder starts: once as it was added, and again from the registry in `prepare_writing` (as filename ''
instead of None, so its duplicate check misses it). sphinx-thebe adds `const THEBE_JS_URL = ...` that
way, and declaring a `const` twice is an uncaught SyntaxError on every page. The browser tests
(tests/browser) fail on any console error, so this removes the exact duplicates.
"""


def _key(script) -> tuple:
    return (
        script.filename or "",
        script.priority,
        tuple(sorted((k, str(v)) for k, v in script.attributes.items())),
    )


def dedupe_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        key = _key(script) if hasattr(script, "attributes") else ("", str(script))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    # A new list: the builder restores its own list after every page.
    context["script_files"] = unique


def setup(app):
    # Last, after every extension has added its page scripts.
    app.connect("html-page-context", dedupe_scripts, priority=1000)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
