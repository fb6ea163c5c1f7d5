"""Uploads a file with boto3's upload_file above its multipart threshold and reads it back.

Run by test/s3/s3-multipart.test.ts with Debian's /usr/bin/python3. Reads TANDEM_ENDPOINT,
AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, UPLOAD_FILE, DOWNLOAD_FILE. Prints one JSON object.
"""

import json
import os

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config

s3 = boto3.client("s3", endpoint_url=os.environ["TANDEM_ENDPOINT"], region_name="us-east-1",
                  config=Config(retries={"max_attempts": 1, "mode": "standard"}, signature_version="s3v4"))
# boto3's defaults: multipart above 8 MiB, 8 MiB parts.
transfer = TransferConfig(multipart_threshold=8 * 1024 * 1024, multipart_chunksize=8 * 1024 * 1024)
s3.upload_file(os.environ["UPLOAD_FILE"], "py-multipart", "big/file.bin", Config=transfer)
head = s3.head_object(Bucket="py-multipart", Key="big/file.bin")
s3.download_file("py-multipart", "big/file.bin", os.environ["DOWNLOAD_FILE"])
print(json.dumps({"size": head["ContentLength"], "etag": head["ETag"]}))
