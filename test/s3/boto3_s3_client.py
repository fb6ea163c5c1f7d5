"""Reads a loop's output.json and uploads inputs through Tandem's S3 API with boto3, unchanged.

Run by test/s3/s3-api-boto3.test.ts with Debian's /usr/bin/python3. Reads TANDEM_ENDPOINT,
AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (account A), OTHER_KEY_ID / OTHER_SECRET (account B),
OUTPUT_S3_URI. Prints one JSON object of observations; the TypeScript test asserts on it.
"""

import json
import os
import urllib.request
import urllib.error

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT = os.environ["TANDEM_ENDPOINT"]
config = Config(retries={"max_attempts": 1, "mode": "standard"}, signature_version="s3v4")


def client(key_id, secret):
    return boto3.client("s3", endpoint_url=ENDPOINT, region_name="us-east-1",
                        aws_access_key_id=key_id, aws_secret_access_key=secret, config=config)


def error_of(call):
    try:
        call()
    except ClientError as error:
        return {"code": error.response["Error"]["Code"], "status": error.response["ResponseMetadata"]["HTTPStatusCode"]}
    return None


s3 = client(os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"])
other = client(os.environ["OTHER_KEY_ID"], os.environ["OTHER_SECRET"])
summary = {}
bucket, key = os.environ["OUTPUT_S3_URI"][len("s3://"):].split("/", 1)
summary["output"] = json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())

s3.put_object(Bucket="py-inputs", Key="images/dog.png", Body=b"\x89PNG fake", ContentType="image/png")
s3.upload_fileobj(__import__("io").BytesIO(b"x" * 1000), "py-inputs", "docs/upload.bin")
got = s3.get_object(Bucket="py-inputs", Key="images/dog.png", Range="bytes=1-3")
summary["range"] = got["Body"].read().decode()
summary["contentType"] = s3.head_object(Bucket="py-inputs", Key="images/dog.png")["ContentType"]
listed = s3.list_objects_v2(Bucket="py-inputs", Delimiter="/")
summary["commonPrefixes"] = [p["Prefix"] for p in listed.get("CommonPrefixes", [])]
summary["allKeys"] = [o["Key"] for o in s3.list_objects_v2(Bucket="py-inputs")["Contents"]]
summary["buckets"] = sorted(b["Name"] for b in s3.list_buckets()["Buckets"])
url = s3.generate_presigned_url("get_object", Params={"Bucket": "py-inputs", "Key": "images/dog.png"}, ExpiresIn=60)
summary["presigned"] = urllib.request.urlopen(url).read().decode("latin1")
s3.delete_object(Bucket="py-inputs", Key="docs/upload.bin")
summary["afterDelete"] = [o["Key"] for o in s3.list_objects_v2(Bucket="py-inputs")["Contents"]]
summary["missing"] = error_of(lambda: s3.get_object(Bucket="py-inputs", Key="nope"))
summary["otherGet"] = error_of(lambda: other.get_object(Bucket=bucket, Key=key))
summary["otherPut"] = error_of(lambda: other.put_object(Bucket="py-inputs", Key="planted", Body=b"x"))
summary["otherList"] = error_of(lambda: other.list_objects_v2(Bucket="py-inputs"))
summary["otherCreate"] = error_of(lambda: other.create_bucket(Bucket="py-inputs"))
summary["longKey"] = error_of(lambda: s3.put_object(Bucket="py-inputs", Key="k" * 1100, Body=b"x"))
summary["dotKey"] = error_of(lambda: s3.put_object(Bucket="py-inputs", Key="a/../b", Body=b"x"))
print(json.dumps(summary))
