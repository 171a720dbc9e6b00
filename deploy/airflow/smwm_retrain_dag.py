"""SMWM scheduled retraining as an Airflow DAG.

    import_or_generate -> import_table | generate_table -> validate_table -> retrain -> gate_outcome
        -> notify_rejected (the promotion gate rejected the candidate: retrain's exit code 3) | promoted

Every Spark step is a SparkSubmitOperator running io.smwm.spark.cli.Main from the shaded jar
(smwm-spark/target/smwm.jar, or /opt/smwm/smwm.jar in the image of deploy/docker/Dockerfile). Needs
apache-airflow >= 2.4 (or 3.x) and apache-airflow-providers-apache-spark, and a Spark connection (conn id from the
environment variable SMWM_SPARK_CONN_ID, default spark_default) whose master is the cluster (yarn, k8s://...,
spark://...); spark-submit must be on the worker's PATH.

Settings:
  Airflow Variables (per deployment, read when a task runs, defaults in parentheses):
    smwm_jar           the shaded jar (/opt/smwm/smwm.jar)
    smwm_registry      the model registry (/mnt/smwm/registry): a path on the Airflow workers, where the retrain
                       driver runs (client mode, below), or a Hadoop URI (hdfs://..., s3a://... with the -Ps3 jar)
    smwm_tables        where each run writes its table, as TABLES/<ts_nodash> (/mnt/smwm/tables); any Hadoop path
                       the executors can read (a shared mount, hdfs://, s3a://)
    smwm_gate          the gate YAML on the workers (/opt/smwm/gate.yaml: deploy/gate.yaml in the image)
    smwm_notify_email  address(es) for the rejection e-mail (empty: the notice goes to the task log only)
  DAG params (per run; "Trigger DAG w/ config" overrides them): env, episodes, steps, import_format, import_source,
    config, warm_start, workers.

Every application_args list below is a literal list of strings (Jinja templates allowed) so that DeployFilesTest can
read it and check that the command line's own parser accepts it: a renamed flag fails the build, not the 3 a.m. run.
"""
from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path

import pendulum

try:  # Airflow 3
    from airflow.sdk import DAG, Param
except ImportError:  # Airflow 2.4+
    from airflow import DAG
    from airflow.models.param import Param
from airflow.exceptions import AirflowException

try:  # Airflow 3: the standard provider
    from airflow.providers.standard.operators.empty import EmptyOperator
    from airflow.providers.standard.operators.python import BranchPythonOperator, PythonOperator
except ImportError:  # Airflow 2
    from airflow.operators.empty import EmptyOperator
    from airflow.operators.python import BranchPythonOperator, PythonOperator
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

log = logging.getLogger(__name__)

MAIN_CLASS = "io.smwm.spark.cli.Main"
# retrain's exit code for "the promotion gate rejected the candidate" (smwm retrain --help; 1 failure, 2 bad input)
GATE_REJECTED = 3
SPARK_CONN_ID = os.environ.get("SMWM_SPARK_CONN_ID", "spark_default")

JAR = "{{ var.value.get('smwm_jar', '/opt/smwm/smwm.jar') }}"
REGISTRY = "{{ var.value.get('smwm_registry', '/mnt/smwm/registry') }}"
TABLE = "{{ var.value.get('smwm_tables', '/mnt/smwm/tables') }}/{{ ts_nodash }}"
GATE = "{{ var.value.get('smwm_gate', '/opt/smwm/gate.yaml') }}"

# smwm-spark/target/classes/smwm-jvm.flags: the --add-opens flags Spark needs on Java 17, the SameDiff workaround and
# ND4J's off-heap limits (DeployFilesTest checks this copy against the build's file).
JVM_FLAGS = (
    "--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED "
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED "
    "--add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED "
    "--add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED "
    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED "
    "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED "
    "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED "
    "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED "
    "--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED "
    "-Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true "
    "-Dorg.nd4j.autodiff.samediff=false -Dorg.bytedeco.javacpp.maxbytes=4G "
    "-Dorg.bytedeco.javacpp.maxphysicalbytes=12G"
)
# ND4J unpacks ~360 MB of native libraries on first start: keep them on local disk
NATIVE_CACHE = " -Dorg.bytedeco.javacpp.cachedir=/tmp/smwm-javacpp"

# deploy/README.md, "Executor settings": one task per 4 cores with OMP_NUM_THREADS = 4, memoryOverhead raised by
# ND4J's off-heap limit; in client mode spark-submit's launcher puts spark.driver.extraJavaOptions on the driver JVM
SPARK_CONF = {
    "spark.driver.extraJavaOptions": JVM_FLAGS + NATIVE_CACHE,
    "spark.executor.extraJavaOptions": JVM_FLAGS + NATIVE_CACHE,
    "spark.task.cpus": "4",
    "spark.executorEnv.OMP_NUM_THREADS": "4",
    "spark.executor.memoryOverhead": "5g",
    "spark.dynamicAllocation.enabled": "false",
    "spark.yarn.maxAppAttempts": "1",
}

# Client deploy mode for every step, whatever the connection says: the driver runs inside the Airflow task, so
# (1) spark-submit's exit code is the command's own (in YARN cluster mode the ApplicationMaster turns every
# System.exit into FAILED, and code 3 would be lost), and (2) retrain's driver sees the registry, which must be a local
# file system for now. The executors still run on the cluster.
SUBMIT = dict(
    conn_id=SPARK_CONN_ID,
    application=JAR,
    java_class=MAIN_CLASS,
    deploy_mode="client",
    conf=SPARK_CONF,
    num_executors=4,
    executor_cores=4,
    executor_memory="8g",
    driver_memory="8g",
    env_vars={"OMP_NUM_THREADS": "4"},
)

GENERATE_ARGS = [
    "generate",
    "--env", "{{ params.env }}",
    "--episodes", "{{ params.episodes }}",
    "--steps", "{{ params.steps }}",
    "--seed", "{{ ds_nodash }}",  # fresh trajectories every day, reproducible per logical date
    "--out", TABLE,
    "--overwrite",  # a retried task replaces its own half-written table
]

IMPORT_ARGS = [
    "import",
    "--from", "{{ params.import_format }}",
    "--out", TABLE,
    "--overwrite",
    "{{ params.import_source }}",
]

VALIDATE_ARGS = [
    "validate",
    TABLE,
]

# The benchmark options (--eval-episodes, --goal-offset, ...) are fixed by the registry's first retrain; later
# retrains must pass the same values or none, so none are passed here.
RETRAIN_ARGS = [
    "retrain",
    "--registry", REGISTRY,
    "--data", TABLE,
    "--gate", GATE,
    "--config", "{{ params.config }}",
    "--workers", "{{ params.workers }}",
    "--warm-start={{ params.warm_start | lower }}",
    "--skip-validation",  # validate_table has just checked this table
]


class RetrainSubmitOperator(SparkSubmitOperator):
    """spark-submit of `smwm retrain`, mapping its exit code to the task's outcome.

    Why a wrapper and not a trigger rule alone: SparkSubmitOperator fails the task on any non-zero exit code, and a
    trigger rule cannot tell exit 3 ("the gate rejected the candidate", a normal night: the registry is consistent
    and `current` unchanged) from exit 1 (a failure to look into). The wrapper returns "promoted" (exit 0) or
    "rejected" (exit 3) as its XCom and lets every other code fail the task; the BranchPythonOperator gate_outcome
    then routes to notify_rejected or promoted. The code comes from the hook's error ("Error code is: N"; on
    Kubernetes in cluster mode the driver's "Kubernetes spark exit code is: N"), which needs spark-submit to wait for
    the driver: client mode (SUBMIT above) or Kubernetes cluster mode.
    """

    def execute(self, context):
        try:
            super().execute(context)
        except AirflowException as e:
            code = exit_code(str(e))
            if code != GATE_REJECTED:
                raise
            self.log.warning("the promotion gate rejected the candidate (exit %d); current is unchanged", code)
            return "rejected"
        return "promoted"


def exit_code(message: str) -> int | None:
    """The exit code in SparkSubmitHook's error message: the driver's on Kubernetes (when set), else spark-submit's."""
    k8s = re.search(r"Kubernetes spark exit code is: (-?\d+)", message)
    if k8s and int(k8s.group(1)) != 0:
        return int(k8s.group(1))
    code = re.search(r"Error code is: (-?\d+)", message)
    return int(code.group(1)) if code else None


def choose_source(params, **_):
    """import_table when params.import_source names a dataset, else generate_table."""
    return "import_table" if str(params.get("import_source") or "").strip() else "generate_table"


def route_outcome(ti, **_):
    return "notify_rejected" if ti.xcom_pull(task_ids="retrain") == "rejected" else "promoted"


def latest_decision(registry: str) -> dict | None:
    """REG/versions/vN/decision.json of the newest version, when the registry is readable from this worker."""
    root = Path(re.sub(r"^file:(//)?", "", registry)) / "versions"
    try:
        versions = [p for p in root.iterdir() if re.fullmatch(r"v\d+", p.name) and p.is_dir()]
        newest = max(versions, key=lambda p: int(p.name[1:]))
        return json.loads((newest / "decision.json").read_text())
    except (OSError, ValueError):
        return None


def notify_rejected(registry: str, notify_email: str, run_id: str, **_):
    """Tells that the gate rejected tonight's candidate: the task log always, e-mail when smwm_notify_email is set."""
    d = latest_decision(registry)
    why = (f"{d.get('version')}: {d.get('summary')}" if d else
           f"see REG/versions/vN/decision.json or `smwm registry list --registry {registry}`")
    subject = f"SMWM retraining {run_id}: the promotion gate rejected the candidate"
    body = (f"{subject}.\nRegistry: {registry} (current is unchanged)\nDecision: {why}\n"
            + (json.dumps(d.get("checks", []), indent=2) if d else ""))
    log.warning("%s", body)
    if notify_email.strip():
        try:
            from airflow.utils.email import send_email
        except ImportError:  # pragma: no cover - depends on the Airflow version
            log.error("no airflow.utils.email in this Airflow; configure an SMTP/Slack notifier instead")
            return
        send_email(to=[a.strip() for a in notify_email.split(",") if a.strip()], subject=subject,
                   html_content=f"<pre>{body}</pre>")


with DAG(
    dag_id="smwm_retrain",
    description="Generate or import trajectories, validate, retrain into the model registry, notify on rejection",
    schedule="0 2 * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,  # one retrain at a time per registry (retrain also holds REG/.retrain.lock)
    default_args={"owner": "smwm", "retries": 1, "retry_delay": pendulum.duration(minutes=10)},
    params={
        "env": Param("tworoom", type="string", description="generate: environment id"),
        "episodes": Param(1000, type="integer", minimum=1, description="generate: episodes"),
        "steps": Param(100, type="integer", minimum=1, description="generate: actions per episode"),
        "import_format": Param("lerobot", type="string", enum=["lerobot", "lewm-hdf5", "minari"],
                               description="import: source format"),
        "import_source": Param("", type="string",
                               description="import: the dataset to import; empty: generate a table instead"),
        "config": Param("tworoom", type="string", description="retrain: bundled config name or YAML path"),
        "warm_start": Param(False, type="boolean", description="retrain: start from the promoted model"),
        "workers": Param(4, type="integer", minimum=1,
                         description="retrain: partitions trained in parallel (= executors x tasks per executor)"),
    },
    tags=["smwm"],
) as dag:
    import_or_generate = BranchPythonOperator(task_id="import_or_generate", python_callable=choose_source)

    generate_table = SparkSubmitOperator(task_id="generate_table", name="smwm-generate",
                                         application_args=GENERATE_ARGS, **SUBMIT)
    import_table = SparkSubmitOperator(task_id="import_table", name="smwm-import",
                                       application_args=IMPORT_ARGS, **SUBMIT)
    # exit 1: the table has problems (listed in the log); the run stops before training
    validate_table = SparkSubmitOperator(task_id="validate_table", name="smwm-validate",
                                         application_args=VALIDATE_ARGS,
                                         trigger_rule="none_failed_min_one_success", **SUBMIT)
    # no automatic retry: a retry trains a whole new candidate; rerun the task by hand after a failure
    retrain = RetrainSubmitOperator(task_id="retrain", name="smwm-retrain", application_args=RETRAIN_ARGS,
                                    retries=0, **SUBMIT)
    gate_outcome = BranchPythonOperator(task_id="gate_outcome", python_callable=route_outcome)
    notify = PythonOperator(
        task_id="notify_rejected",
        python_callable=notify_rejected,
        op_kwargs={"registry": REGISTRY, "notify_email": "{{ var.value.get('smwm_notify_email', '') }}",
                   "run_id": "{{ run_id }}"},
    )
    promoted = EmptyOperator(task_id="promoted")

    import_or_generate >> [import_table, generate_table] >> validate_table >> retrain >> gate_outcome
    gate_outcome >> [notify, promoted]
