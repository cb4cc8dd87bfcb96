"""Deployment-time steps that run on the deployer's machine (azd hooks), never in the Function App."""
