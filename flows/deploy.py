"""``vanthu deploy``: the ``ingest_folder`` flow registered as a deployment on a Prefect
*process* work pool, so that ``prefect worker start --pool NAME`` on any number of
machines runs its sweeps (docs/admin.md, "Scale-out").

The deployment's entrypoint is the installed module ``vanthu.flows.ingest`` (no code is
pulled from anywhere: every worker machine has vanthu installed), its parameters are the
folder tree and the store, and it runs on an interval or a cron schedule. The pool is
created (type ``process``) if it does not exist; a pool of another type is refused.
"""

from __future__ import annotations

import contextlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import WorkPoolCreate
from prefect.deployments.runner import EntrypointType
from prefect.deployments.runner import deploy as prefect_deploy
from prefect.exceptions import ObjectNotFound

from vanthu import __version__
from vanthu.flows.inbox import DEFAULT_LEASE, Layout
from vanthu.flows.store import default_url, open_store
from vanthu.pipeline.errors import ExitCode, VanthuError
from vanthu.pipeline.i18n import _

POOL_TYPE = "process"
DEFAULT_INTERVAL = 60.0  # seconds between sweeps when neither interval nor cron is given
DEFAULT_NAME = "vanthu-ingest"


class DeployError(VanthuError):
    """The deployment cannot be registered (no Prefect server, a pool of the wrong type)."""

    exit_code = ExitCode.USAGE


@dataclass(frozen=True)
class Deployed:
    """What was registered."""

    deployment_id: str
    full_name: str  # ingest_folder/<name>
    pool: str
    pool_created: bool
    schedule: str
    store_url: str
    parameters: dict


def flow_parameters(layout: Layout, store_url: str, settle: float, lease: float) -> dict:
    """The ``ingest_folder`` parameters for this tree (what every sweep of the deployment gets)."""
    return {
        "root": str(layout.root),
        "settle": settle,
        "store": store_url,
        "folders": {k: v for k, v in layout.as_dict().items() if k != "root"},
        "lease": lease,
    }


def ensure_pool(pool: str) -> bool:
    """The process pool ``pool``, created if missing; returns whether it was created."""
    with get_client(sync_client=True) as client:
        try:
            found = client.read_work_pool(pool)
        except ObjectNotFound:
            client.create_work_pool(WorkPoolCreate(name=pool, type=POOL_TYPE))
            return True
    if found.type != POOL_TYPE:
        raise DeployError(
            pool,
            _("the work pool is of type {type!r}, not {wanted!r}").format(type=found.type, wanted=POOL_TYPE),
            hint=_("choose another --pool, or create one with `prefect work-pool create NAME --type {wanted}`").format(
                wanted=POOL_TYPE
            ),
        )
    return False


def deploy_ingest(
    root: Path,
    *,
    pool: str,
    name: str = DEFAULT_NAME,
    store: str | None = None,
    folders: dict[str, str] | None = None,
    settle: float = 2.0,
    lease: float = DEFAULT_LEASE,
    interval: float | None = None,
    cron: str | None = None,
) -> Deployed:
    """Register (or update) the deployment ``ingest_folder/<name>`` on ``pool``."""
    api = os.environ.get("PREFECT_API_URL")
    if not api:
        raise DeployError(
            "PREFECT_API_URL",
            _("not set: `vanthu deploy` registers the deployment on a Prefect server"),
            hint=_(
                "start one with `prefect server start` and "
                "`export PREFECT_API_URL=http://SERVER:4200/api` on this machine and on every worker"
            ),
        )
    layout = Layout.under(root, **(folders or {})).ensure()
    store_url = store or default_url(layout.root)
    open_store(store_url).close()  # a bad URL or an unreachable server fails here, not in a sweep
    from vanthu.flows.ingest import ingest_folder

    created = ensure_pool(pool)
    params = flow_parameters(layout, store_url, settle, lease)
    when = {"cron": cron} if cron else {"interval": interval or DEFAULT_INTERVAL}
    deployment = ingest_folder.to_deployment(
        name=name,
        parameters=params,
        entrypoint_type=EntrypointType.MODULE_PATH,
        description=f"vanthu {__version__}: ingest the letters of {layout.inbox}",
        tags=["vanthu"],
        version=__version__,
        **when,
    )
    with contextlib.redirect_stdout(io.StringIO()):  # Prefect's own table; the command says what was done
        ids = prefect_deploy(deployment, work_pool_name=pool, build=False, push=False, print_next_steps_message=False)
    schedule = f"cron {cron}" if cron else f"every {when['interval']:g} s"
    return Deployed(str(ids[0]), f"ingest_folder/{name}", pool, created, schedule, store_url, params)
