"""The GitHub Pages workflow, read as GitHub reads it (no Actions run here: no network)."""

from __future__ import annotations

import re

import pytest
import yaml

from tests.helpers import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
#: A pinned action: owner/name@<40-hex commit> # vX.Y.Z
PINNED = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}$")


@pytest.fixture(scope="module")
def workflow() -> dict:
    # PyYAML reads the bare key `on` as the boolean True (YAML 1.1); GitHub reads it as "on".
    data = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    data["on"] = data.pop(True)
    return data


def steps_using(workflow: dict, action: str) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]
            if step.get("uses", "").startswith(action + "@")]


def test_runs_on_push_to_main_and_by_hand(workflow):
    """A push to main publishes; workflow_dispatch republishes without a commit."""
    assert workflow["on"]["push"] == {"branches": ["main"]}
    assert "workflow_dispatch" in workflow["on"]


def test_permissions_and_concurrency(workflow):
    """Pages deploys with an OIDC token; one deployment at a time, none cancelled halfway."""
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_every_action_is_pinned_to_a_commit_with_its_release_named():
    """Each `uses:` is owner/name@<full SHA>, followed by the release it is (# vX.Y.Z)."""
    uses = re.findall(r"uses:\s*(\S+)(.*)", WORKFLOW.read_text("utf-8"))
    assert len(uses) == 6
    for action, comment in uses:
        assert PINNED.match(action), action
        assert re.fullmatch(r"\s*# v\d+\.\d+\.\d+", comment), f"{action}: name the release in a comment"


def test_build_job_sets_up_python_and_node_then_runs_make_site_at_the_pages_address(workflow):
    """Python 3.12 and Node 20, then `make site` with SITE_URL from configure-pages' base_url."""
    build = workflow["jobs"]["build"]["steps"]
    uses = [step.get("uses", "").split("@")[0] for step in build]
    assert uses[:4] == ["actions/checkout", "actions/setup-python", "actions/setup-node", "actions/configure-pages"]
    assert steps_using(workflow, "actions/setup-python")[0]["with"]["python-version"] == "3.12"
    assert str(steps_using(workflow, "actions/setup-node")[0]["with"]["node-version"]) == "20"
    assert steps_using(workflow, "actions/configure-pages")[0]["id"] == "pages"
    make = next(step for step in build if "make site" in step.get("run", ""))
    # Through the environment, never spliced into the shell: base_url has no trailing slash.
    assert make["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    assert make["run"] == 'make site SITE_URL="$SITE_URL"'
    assert build.index(make) < build.index(steps_using(workflow, "actions/upload-pages-artifact")[0])
    assert steps_using(workflow, "actions/upload-pages-artifact")[0]["with"]["path"] == "site"


def test_deploy_job_publishes_the_artifact_to_the_pages_environment(workflow):
    """deploy-pages runs after the build, in the github-pages environment, showing the page's URL."""
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"] == {"name": "github-pages", "url": "${{ steps.deployment.outputs.page_url }}"}
    (step,) = deploy["steps"]
    assert step["uses"].startswith("actions/deploy-pages@") and step["id"] == "deployment"
