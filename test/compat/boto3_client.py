"""Drives a listening Tandem with boto3, as an A2I user's Python code would.

Run by test/compat/boto3.test.ts with Debian's /usr/bin/python3 (python3-boto3). Reads:
  TANDEM_ENDPOINT        http://127.0.0.1:<port>
  AWS_ACCESS_KEY_ID      a key of the account under test
  AWS_SECRET_ACCESS_KEY  its secret
  AWS_DEFAULT_REGION     the region Tandem serves (us-east-1)
  TANDEM_PREFIX          prefix for resource names (optional)

Creates a work team, a human task UI and a flow definition through `boto3.client('sagemaker')`,
then starts, describes, lists, stops and deletes human loops through
`boto3.client('sagemaker-a2i-runtime')`, provoking each documented error on the way. Nothing is
asserted here: every observation goes into one JSON object printed on stdout (the last line), and
the TypeScript test asserts on it. An unexpected exception is reported as `fatal`, not raised.
"""

import datetime
import json
import os
import sys
import traceback

import boto3
import botocore
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT = os.environ["TANDEM_ENDPOINT"]
REGION = os.environ.get("AWS_DEFAULT_REGION", "us-east-1")
PREFIX = os.environ.get("TANDEM_PREFIX", "py")
TEMPLATE = """<script src="https://assets.crowd.aws/crowd-html-elements.js"></script>
<crowd-form>
  <crowd-classifier name="category" categories="['Cat', 'Dog']" header="{{ task.input.question }}">
    <classification-target>{{ task.input.text }}</classification-target>
  </crowd-classifier>
</crowd-form>"""
THREE_MIB = 3 * 1024 * 1024

summary = {"boto3": boto3.__version__, "botocore": botocore.__version__, "steps": [], "errors": {}}


def clients(access_key_id=None, secret_access_key=None, region=REGION):
    session = boto3.session.Session(
        aws_access_key_id=access_key_id or os.environ["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=secret_access_key or os.environ["AWS_SECRET_ACCESS_KEY"],
        region_name=region,
    )
    config = Config(retries={"max_attempts": 1, "mode": "standard"}, read_timeout=120)
    return (
        session.client("sagemaker", endpoint_url=ENDPOINT, config=config),
        session.client("sagemaker-a2i-runtime", endpoint_url=ENDPOINT, config=config),
    )


def step(name, value=True):
    summary["steps"].append(name)
    return value


def expect_error(label, call, modeled=None):
    """Runs `call`, which should fail; records which class caught it and what the wire said."""
    record = {"raised": False}
    try:
        call()
    except Exception as error:  # noqa: BLE001 - every failure is an observation
        record = {
            "raised": True,
            "class": type(error).__name__,
            "modeled": bool(modeled is not None and isinstance(error, modeled)),
            "isClientError": isinstance(error, ClientError),
        }
        if isinstance(error, ClientError):
            record.update(
                code=error.response["Error"].get("Code"),
                message=error.response["Error"].get("Message"),
                status=error.response["ResponseMetadata"].get("HTTPStatusCode"),
                requestId=error.response["ResponseMetadata"].get("RequestId"),
            )
        else:
            record["message"] = str(error)
    summary["errors"][label] = record


def epoch(value):
    return value.timestamp() if isinstance(value, datetime.datetime) else None


def run():
    sm, a2i = clients()
    team_name, ui_name, flow_name = f"{PREFIX}-team", f"{PREFIX}-ui", f"{PREFIX}-flow"

    # --- SageMaker control plane -------------------------------------------------------------
    team_arn = sm.create_workteam(
        WorkteamName=team_name,
        Description="boto3 reviewers",
        MemberDefinitions=[
            {"CognitoMemberDefinition": {"UserPool": "us-east-1_boto", "UserGroup": "reviewers", "ClientId": "boto"}}
        ],
    )["WorkteamArn"]
    ui_arn = sm.create_human_task_ui(HumanTaskUiName=ui_name, UiTemplate={"Content": TEMPLATE})["HumanTaskUiArn"]
    flow_arn = sm.create_flow_definition(
        FlowDefinitionName=flow_name,
        RoleArn="arn:aws:iam::111122223333:role/boto3",
        OutputConfig={"S3OutputPath": "s3://boto3-bucket/out"},
        HumanLoopConfig={
            "WorkteamArn": team_arn,
            "HumanTaskUiArn": ui_arn,
            "TaskTitle": "Classify",
            "TaskDescription": "Pick the animal",
            "TaskCount": 1,
            "TaskAvailabilityLifetimeInSeconds": 3600,
            "TaskTimeLimitInSeconds": 300,
        },
    )["FlowDefinitionArn"]
    summary["arns"] = {"workteam": team_arn, "humanTaskUi": ui_arn, "flowDefinition": flow_arn}
    step("created")

    team = sm.describe_workteam(WorkteamName=team_name)["Workteam"]
    ui = sm.describe_human_task_ui(HumanTaskUiName=ui_name)
    flow = sm.describe_flow_definition(FlowDefinitionName=flow_name)
    summary["described"] = {
        "workteamArn": team["WorkteamArn"],
        "workteamCreateDateIsDatetime": isinstance(team.get("CreateDate"), datetime.datetime),
        "humanTaskUiArn": ui["HumanTaskUiArn"],
        "humanTaskUiStatus": ui.get("HumanTaskUiStatus"),
        "humanTaskUiCreationTimeIsDatetime": isinstance(ui.get("CreationTime"), datetime.datetime),
        "flowDefinitionArn": flow["FlowDefinitionArn"],
        "flowDefinitionStatus": flow["FlowDefinitionStatus"],
        "flowTaskCount": flow["HumanLoopConfig"]["TaskCount"],
        "flowCreationTimeIsDatetime": isinstance(flow.get("CreationTime"), datetime.datetime),
    }
    summary["listed"] = {
        "workteams": [t["WorkteamName"] for t in sm.list_workteams()["Workteams"]],
        "humanTaskUis": [u["HumanTaskUiName"] for u in sm.list_human_task_uis()["HumanTaskUiSummaries"]],
        "flowDefinitions": [f["FlowDefinitionName"] for f in sm.list_flow_definitions()["FlowDefinitionSummaries"]],
    }
    step("described")

    # --- A2I runtime: loops ------------------------------------------------------------------
    input_content = json.dumps({"question": "Cat or dog?", "text": "a small animal"})
    started = a2i.start_human_loop(
        HumanLoopName="py-loop-1",
        FlowDefinitionArn=flow_arn,
        HumanLoopInput={"InputContent": input_content},
        DataAttributes={"ContentClassifiers": ["FreeOfPersonallyIdentifiableInformation"]},
    )
    again = a2i.start_human_loop(
        HumanLoopName="py-loop-1", FlowDefinitionArn=flow_arn, HumanLoopInput={"InputContent": input_content}
    )
    loop = a2i.describe_human_loop(HumanLoopName="py-loop-1")
    summary["loop"] = {
        "arn": started["HumanLoopArn"],
        "idempotentArn": again["HumanLoopArn"],
        "status": loop["HumanLoopStatus"],
        "name": loop["HumanLoopName"],
        "flowDefinitionArn": loop["FlowDefinitionArn"],
        "creationTimeIsDatetime": isinstance(loop["CreationTime"], datetime.datetime),
        "creationTimeIsAware": loop["CreationTime"].tzinfo is not None,
        "creationTime": epoch(loop["CreationTime"]),
        "requestId": loop["ResponseMetadata"].get("RequestId"),
    }
    for i in range(2, 6):
        a2i.start_human_loop(
            HumanLoopName=f"py-loop-{i}", FlowDefinitionArn=flow_arn, HumanLoopInput={"InputContent": json.dumps({"n": i})}
        )
    step("started")

    paginator = a2i.get_paginator("list_human_loops")
    pages = list(
        paginator.paginate(FlowDefinitionArn=flow_arn, SortOrder="Ascending", PaginationConfig={"PageSize": 2})
    )
    created = loop["CreationTime"]
    summary["list"] = {
        "pages": len(pages),
        "ascending": [s["HumanLoopName"] for p in pages for s in p["HumanLoopSummaries"]],
        "descending": [
            s["HumanLoopName"]
            for s in a2i.list_human_loops(FlowDefinitionArn=flow_arn, SortOrder="Descending")["HumanLoopSummaries"]
        ],
        # botocore sends these with microseconds (…T10:11:12.345000Z).
        "after": [
            s["HumanLoopName"]
            for s in a2i.list_human_loops(
                FlowDefinitionArn=flow_arn, CreationTimeAfter=created, SortOrder="Ascending"
            )["HumanLoopSummaries"]
        ],
        "beforeFuture": len(
            a2i.list_human_loops(
                FlowDefinitionArn=flow_arn,
                CreationTimeBefore=datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=5),
            )["HumanLoopSummaries"]
        ),
        "summaryTimesAreDatetimes": all(
            isinstance(s["CreationTime"], datetime.datetime) for p in pages for s in p["HumanLoopSummaries"]
        ),
    }
    step("listed")

    # Large inputs: botocore writes non-ASCII as \uXXXX, so 3 MiB of text is an 18 MiB body.
    padding = '{"t":""}'
    wide = '{"t":"' + "\u00e9" * (THREE_MIB - len(padding)) + '"}'
    a2i.start_human_loop(HumanLoopName="py-wide", FlowDefinitionArn=flow_arn, HumanLoopInput={"InputContent": wide})
    summary["wideInputStatus"] = a2i.describe_human_loop(HumanLoopName="py-wide")["HumanLoopStatus"]
    too_long = '{"t":"' + "x" * (THREE_MIB + 1 - len(padding)) + '"}'
    expect_error(
        "start_too_large",
        lambda: a2i.start_human_loop(
            HumanLoopName="py-too-large", FlowDefinitionArn=flow_arn, HumanLoopInput={"InputContent": too_long}
        ),
        a2i.exceptions.ValidationException,
    )
    step("large-inputs")

    # --- A2I runtime: errors -----------------------------------------------------------------
    E = a2i.exceptions
    expect_error("describe_unknown", lambda: a2i.describe_human_loop(HumanLoopName="py-nope"), E.ResourceNotFoundException)
    expect_error("stop_unknown", lambda: a2i.stop_human_loop(HumanLoopName="py-nope"), E.ResourceNotFoundException)
    expect_error(
        "start_bad_name",
        lambda: a2i.start_human_loop(
            HumanLoopName="Py_Bad", FlowDefinitionArn=flow_arn, HumanLoopInput={"InputContent": "{}"}
        ),
        E.ValidationException,
    )
    expect_error(
        "start_long_name",
        lambda: a2i.start_human_loop(
            HumanLoopName="p" * 64, FlowDefinitionArn=flow_arn, HumanLoopInput={"InputContent": "{}"}
        ),
        E.ValidationException,
    )
    expect_error(
        "start_not_json",
        lambda: a2i.start_human_loop(
            HumanLoopName="py-not-json", FlowDefinitionArn=flow_arn, HumanLoopInput={"InputContent": "not json"}
        ),
        E.ValidationException,
    )
    expect_error(
        "start_conflict",
        lambda: a2i.start_human_loop(
            HumanLoopName="py-loop-1", FlowDefinitionArn=flow_arn, HumanLoopInput={"InputContent": '{"other":1}'}
        ),
        E.ConflictException,
    )
    expect_error(
        "start_unknown_flow",
        lambda: a2i.start_human_loop(
            HumanLoopName="py-orphan",
            FlowDefinitionArn=flow_arn.replace(flow_name, "py-no-such-flow"),
            HumanLoopInput={"InputContent": "{}"},
        ),
        E.ResourceNotFoundException,
    )
    expect_error("start_bad_arn", lambda: a2i.start_human_loop(
        HumanLoopName="py-bad-arn", FlowDefinitionArn="bad", HumanLoopInput={"InputContent": "{}"}
    ), E.ValidationException)
    expect_error(
        "list_max_results_101",
        lambda: a2i.list_human_loops(FlowDefinitionArn=flow_arn, MaxResults=101),
        E.ValidationException,
    )
    first_page = a2i.list_human_loops(FlowDefinitionArn=flow_arn, MaxResults=1)
    expect_error(
        "list_tampered_token",
        lambda: a2i.list_human_loops(FlowDefinitionArn=flow_arn, MaxResults=1, NextToken=first_page["NextToken"] + "x"),
        E.ValidationException,
    )
    expect_error("delete_in_progress", lambda: a2i.delete_human_loop(HumanLoopName="py-loop-1"), E.ValidationException)
    step("runtime-errors")

    # --- SageMaker errors ---------------------------------------------------------------------
    S = sm.exceptions
    expect_error(
        "describe_flow_unknown", lambda: sm.describe_flow_definition(FlowDefinitionName="py-no-such-flow"), S.ResourceNotFound
    )
    expect_error("delete_flow_in_use", lambda: sm.delete_flow_definition(FlowDefinitionName=flow_name), S.ResourceInUse)
    expect_error(
        "create_workteam_duplicate",
        lambda: sm.create_workteam(
            WorkteamName=team_name,
            Description="again",
            MemberDefinitions=[
                {"CognitoMemberDefinition": {"UserPool": "us-east-1_boto", "UserGroup": "x", "ClientId": "boto"}}
            ],
        ),
        S.ResourceInUse,
    )
    expect_error("describe_workteam_unknown", lambda: sm.describe_workteam(WorkteamName="py-no-team"), S.ResourceNotFound)
    expect_error("describe_ui_unknown", lambda: sm.describe_human_task_ui(HumanTaskUiName="py-no-ui"), S.ResourceNotFound)
    step("sagemaker-errors")

    # --- stop and delete ----------------------------------------------------------------------
    a2i.stop_human_loop(HumanLoopName="py-loop-1")
    a2i.stop_human_loop(HumanLoopName="py-loop-1")  # stopping twice is fine
    summary["afterStop"] = a2i.describe_human_loop(HumanLoopName="py-loop-1")["HumanLoopStatus"]
    a2i.delete_human_loop(HumanLoopName="py-loop-1")
    expect_error("describe_deleted", lambda: a2i.describe_human_loop(HumanLoopName="py-loop-1"), E.ResourceNotFoundException)
    expect_error("delete_deleted", lambda: a2i.delete_human_loop(HumanLoopName="py-loop-1"), E.ResourceNotFoundException)
    summary["afterDelete"] = sorted(
        s["HumanLoopName"] for s in a2i.list_human_loops(FlowDefinitionArn=flow_arn)["HumanLoopSummaries"]
    )
    step("stopped-and-deleted")

    # --- credentials --------------------------------------------------------------------------
    bad_sm, bad_a2i = clients(secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"] + "x")
    expect_error("wrong_secret_a2i", lambda: bad_a2i.list_human_loops(FlowDefinitionArn=flow_arn))
    expect_error("wrong_secret_sagemaker", lambda: bad_sm.list_workteams())
    _, unknown_a2i = clients(access_key_id="TNDMPYUNKNOWNKEY0000")
    expect_error("unknown_key", lambda: unknown_a2i.describe_human_loop(HumanLoopName="py-loop-2"))
    _, elsewhere_a2i = clients(region="eu-west-1")
    expect_error("other_region", lambda: elsewhere_a2i.describe_human_loop(HumanLoopName="py-loop-2"))
    step("credentials")


if __name__ == "__main__":
    try:
        run()
    except Exception:  # noqa: BLE001 - reported to the TypeScript test, which fails on it
        summary["fatal"] = traceback.format_exc()
    sys.stdout.write(json.dumps(summary) + "\n")
