"""Drives Tandem's proxy mode with boto3's Textract and Rekognition clients, as existing code would.

Run by test/compat/boto3-ai-services.test.ts with Debian's /usr/bin/python3 (python3-boto3). Reads:
  TANDEM_ENDPOINT            http://127.0.0.1:<port>
  AWS_ACCESS_KEY_ID          a Tandem key of the account under test
  AWS_SECRET_ACCESS_KEY      its secret
  AWS_DEFAULT_REGION         the region Tandem serves (us-east-1)
  FORMS_FLOW_ARN             a flow definition for AWS/Textract/AnalyzeDocument/Forms/V1
  MODERATION_FLOW_ARN        a flow definition for AWS/Rekognition/DetectModerationLabels/Image/V3
  IMAGE_BASE64               the image bytes to send to DetectModerationLabels

Nothing is asserted here: what boto3 returned goes into one JSON object printed on stdout (the
last line), and the TypeScript test asserts on it. An unexpected exception is reported as `fatal`.
"""

import base64
import json
import os
import traceback

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT = os.environ["TANDEM_ENDPOINT"]
summary = {"boto3": boto3.__version__}


def error_of(call):
    try:
        call()
    except ClientError as error:
        return {
            "code": error.response["Error"].get("Code"),
            "message": error.response["Error"].get("Message"),
            "status": error.response["ResponseMetadata"].get("HTTPStatusCode"),
        }
    return None


def main():
    config = Config(retries={"max_attempts": 1, "mode": "standard"}, read_timeout=60)
    textract = boto3.client("textract", endpoint_url=ENDPOINT, config=config)
    rekognition = boto3.client("rekognition", endpoint_url=ENDPOINT, config=config)

    analyzed = textract.analyze_document(
        Document={"S3Object": {"Bucket": "payroll-forms", "Name": "w2/boto3.png"}},
        FeatureTypes=["FORMS"],
        HumanLoopConfig={"HumanLoopName": "boto3-w2", "FlowDefinitionArn": os.environ["FORMS_FLOW_ARN"]},
    )
    summary["analyzeDocument"] = {
        "blocks": len(analyzed["Blocks"]),
        "documentMetadata": analyzed["DocumentMetadata"],
        "activation": analyzed.get("HumanLoopActivationOutput"),
    }

    detected = rekognition.detect_moderation_labels(
        Image={"Bytes": base64.b64decode(os.environ["IMAGE_BASE64"])},
        HumanLoopConfig={"HumanLoopName": "boto3-image", "FlowDefinitionArn": os.environ["MODERATION_FLOW_ARN"]},
    )
    summary["detectModerationLabels"] = {
        "labels": [label["Name"] for label in detected["ModerationLabels"]],
        "activation": detected.get("HumanLoopActivationOutput"),
    }

    summary["plain"] = len(
        textract.analyze_document(
            Document={"S3Object": {"Bucket": "payroll-forms", "Name": "w2/boto3.png"}}, FeatureTypes=["FORMS"]
        ).get("HumanLoopActivationOutput", {}) or {}
    )
    summary["errors"] = {
        "serviceError": error_of(
            lambda: textract.analyze_document(
                Document={"S3Object": {"Bucket": "payroll-forms", "Name": "missing.png"}},
                FeatureTypes=["FORMS"],
                HumanLoopConfig={"HumanLoopName": "boto3-missing", "FlowDefinitionArn": os.environ["FORMS_FLOW_ARN"]},
            )
        ),
        "unavailable": error_of(
            lambda: textract.analyze_document(
                Document={"S3Object": {"Bucket": "payroll-forms", "Name": "reset.png"}},
                FeatureTypes=["FORMS"],
                HumanLoopConfig={"HumanLoopName": "boto3-reset", "FlowDefinitionArn": os.environ["FORMS_FLOW_ARN"]},
            )
        ),
        "noFlow": error_of(
            lambda: rekognition.detect_moderation_labels(
                Image={"S3Object": {"Bucket": "photos", "Name": "beach.png"}},
                HumanLoopConfig={
                    "HumanLoopName": "boto3-no-flow",
                    "FlowDefinitionArn": os.environ["MODERATION_FLOW_ARN"] + "-gone",
                },
            )
        ),
    }


try:
    main()
except Exception:  # noqa: BLE001 - reported, the test fails on it
    summary["fatal"] = traceback.format_exc()
print(json.dumps(summary, default=str))
