# The bucket the release's model weights and evaluation data are stored in: encrypted at rest
# with a customer-managed KMS key, reachable over TLS only, never public.

data "aws_caller_identity" "current" {}

resource "aws_kms_key" "model_store" {
  description             = "sentiment-scorer model store"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AccountAdministers"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

resource "aws_s3_bucket" "model_store" {
  #checkov:skip=CKV_AWS_144:Single region by design (data residency); versioning and the backup vault cover recovery
  #checkov:skip=CKV2_AWS_62:Only the release pipeline writes here and it records every upload; no event consumer exists
  bucket = "example-sentiment-scorer-models"
}

resource "aws_s3_bucket_logging" "model_store" {
  bucket        = aws_s3_bucket.model_store.id
  target_bucket = "example-central-access-logs"
  target_prefix = "sentiment-scorer-models/"
}

resource "aws_s3_bucket_lifecycle_configuration" "model_store" {
  bucket = aws_s3_bucket.model_store.id
  rule {
    id     = "expire-superseded-versions"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = 365
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "model_store" {
  bucket = aws_s3_bucket.model_store.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.model_store.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_versioning" "model_store" {
  bucket = aws_s3_bucket.model_store.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_public_access_block" "model_store" {
  bucket                  = aws_s3_bucket.model_store.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_policy" "tls_only" {
  bucket = aws_s3_bucket.model_store.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.model_store.arn, "${aws_s3_bucket.model_store.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}
