import importlib

from tests.emulator.extensions import extension_names, install_all


def test_every_extension_module_is_installed(emulator):
    assert install_all() == extension_names()


def test_every_extension_cites_the_aws_behaviour_it_follows():
    for name in extension_names():
        module = importlib.import_module(f"tests.emulator.extensions.{name}")
        assert "AWS" in (module.__doc__ or ""), f"extensions/{name}.py needs a docstring naming the AWS behaviour"
