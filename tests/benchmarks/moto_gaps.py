"""moto gaps the peer modules hit, filled for the benchmarks only (the emulator's own extensions do not need them).

Each gap is reported in docs/performance.md as a finding: without the fill, the peer scenario fails.
Installed in this process before the emulator answers (the benchmark's emulator is in-process).

- DisableMetricsCollection (moto 5.2.5: NotImplementedError → HTTP 500). `amazon.aws.autoscaling_group` calls it on
  every update of a group when `metrics_collection` is false (its default). AWS
  (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DisableMetricsCollection.html): disables the given
  group metrics, all of them when `Metrics` is omitted; answers an empty result.
"""

from __future__ import annotations

from moto.autoscaling.responses import AutoScalingResponse
from moto.core.responses import EmptyResult

FILLED = {"autoscaling:DisableMetricsCollection": "moto 5.2.5 does not implement it (HTTP 500)"}


def _disable_metrics_collection(self):
    group = self.autoscaling_backend.autoscaling_groups.get(self._get_param("AutoScalingGroupName"))
    metrics = self._get_param("Metrics") or []
    if group is not None:
        group.metrics = [metric for metric in (getattr(group, "metrics", None) or []) if metrics and metric not in metrics]
    return EmptyResult()


def install() -> None:
    if "disable_metrics_collection" not in AutoScalingResponse.__dict__:
        AutoScalingResponse.disable_metrics_collection = _disable_metrics_collection
