"""Security checks that hold across modules: secrets never reach any output."""

SECRET_KEY = "SECRETkeyVALUE0123456789abcdefSECRET"
SESSION_TOKEN = "SESSIONtokenVALUE0123456789SESSION"


def test_credentials_never_appear_in_output_even_at_vvvv(aws, playbook):
    ec2 = aws.client("ec2")
    base = ec2.describe_images(Owners=["136693071363"])["Images"][0]["ImageId"]
    instance_id = ec2.run_instances(ImageId=base, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    tasks = [
        {
            "name": "with explicit credentials",
            "bakery.ami.image": {
                "name": "secret-test",
                "instance_id": instance_id,
                "access_key": "AKIAEXAMPLEACCESSKEY",
                "secret_key": SECRET_KEY,
                "session_token": SESSION_TOKEN,
            },
        },
        {
            "name": "failing call with explicit credentials",
            "bakery.ami.image": {"image_id": "ami-0123456789abcdef0", "tags": {"a": "b"}, "secret_key": SECRET_KEY, "session_token": SESSION_TOKEN, "access_key": "AKIAEXAMPLEACCESSKEY"},
            "ignore_errors": True,
        },
    ]
    run = playbook(tasks, args=["-vvvv"], extra_env={"AWS_SECRET_ACCESS_KEY": SECRET_KEY, "AWS_SESSION_TOKEN": SESSION_TOKEN})
    assert run.task("with explicit credentials").changed
    output = run.stdout + run.stderr
    assert SECRET_KEY not in output
    assert SESSION_TOKEN not in output
