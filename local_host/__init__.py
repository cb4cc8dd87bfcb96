"""The local host behind `make run`: it serves the real function objects of `function_app.app`.

Azure Functions Core Tools cannot be installed here, so this package stands in for it. It dispatches
HTTP triggers, runs timer triggers on their NCRONTAB schedules, and serves `static_site/` with the
rules of its `staticwebapp.config.json`. It never forks the app's logic: every API answer comes from
the same function the Azure worker calls.
"""
