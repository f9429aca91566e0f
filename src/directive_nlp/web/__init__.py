"""The editor desk: a small web app where editors review and correct extracted records.

Run it with ``directive-nlp serve --db sqlite:///desk.sqlite3``; see ``app.create_app``.
"""
