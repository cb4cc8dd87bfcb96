"""The Azure Functions app: it registers the blueprints and nothing else."""

import azure.functions as func

from jobs_api import blueprint as jobs_api_blueprint
from worker_timer import blueprint as worker_blueprint

app = func.FunctionApp(http_auth_level=func.AuthLevel.ANONYMOUS)
app.register_functions(jobs_api_blueprint)
app.register_functions(worker_blueprint)
