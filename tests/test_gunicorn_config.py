"""gunicorn.conf.py: what a web worker does once it has loaded Django."""

import gc
import runpy
from pathlib import Path

CONFIG = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def test_a_worker_hides_what_it_loaded_at_start_up_from_the_garbage_collector():
    config = runpy.run_path(str(CONFIG))
    before = gc.get_freeze_count()
    try:
        config["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()
