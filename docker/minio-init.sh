#!/bin/sh
# One-shot MinIO set-up for docker-compose.yml (runs in the minio/mc image), idempotent:
#   - the bucket MINIO_BUCKET (default: pactum);
#   - a policy allowing object read/write/delete/list on that bucket only;
#   - the application's own user PACTUM_S3_ACCESS_KEY_ID / PACTUM_S3_SECRET_ACCESS_KEY with
#     that policy, so the app never holds the MinIO root credentials.
set -eu

: "${MINIO_ROOT_USER:?}" "${MINIO_ROOT_PASSWORD:?}"
: "${PACTUM_S3_ACCESS_KEY_ID:?}" "${PACTUM_S3_SECRET_ACCESS_KEY:?}"
BUCKET=${MINIO_BUCKET:-pactum}
POLICY=pactum-app
ENDPOINT=${MINIO_ENDPOINT:-http://minio:9000}

mc alias set pactum "$ENDPOINT" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD"
mc mb --ignore-existing "pactum/$BUCKET"

policy_file=/tmp/pactum-policy.json
cat > "$policy_file" <<JSON
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow",
     "Action": ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
     "Resource": ["arn:aws:s3:::$BUCKET"]},
    {"Effect": "Allow",
     "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject",
                "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
     "Resource": ["arn:aws:s3:::$BUCKET/*"]}
  ]
}
JSON
mc admin policy create pactum "$POLICY" "$policy_file"
rm -f "$policy_file"

# `user add` on an existing user updates its secret.
mc admin user add pactum "$PACTUM_S3_ACCESS_KEY_ID" "$PACTUM_S3_SECRET_ACCESS_KEY"
# Older mc releases fail when the policy is already attached; that case is not an error here.
if ! output=$(mc admin policy attach pactum "$POLICY" --user "$PACTUM_S3_ACCESS_KEY_ID" 2>&1); then
  case "$output" in
    *"already in effect"*) ;;
    *) echo "$output" >&2; exit 1 ;;
  esac
fi

echo "MinIO ready: bucket $BUCKET, user $PACTUM_S3_ACCESS_KEY_ID (policy $POLICY)"
