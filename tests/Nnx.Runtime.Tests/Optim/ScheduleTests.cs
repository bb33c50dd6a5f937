using System;
using System.Linq;

namespace Nnx.Runtime.Tests.Optim;

/// <summary>
/// Learning-rate schedules at counts where optax's definitions give round numbers (the first update uses count 0).
/// </summary>
public class ScheduleTests
{
    [Fact]
    public void Linear_goes_from_init_to_end_over_the_transition_then_stays()
    {
        Schedule s = Schedule.Linear(1.0, 0.2, transitionSteps: 4, transitionBegin: 2);

        Assert.Equal(new[] { 1.0, 1.0, 1.0, 0.8, 0.6, 0.4, 0.2, 0.2 }, Enumerable.Range(0, 8).Select(c => Math.Round(s.At(c), 12)));
    }

    [Fact]
    public void Polynomial_with_power_2_is_quadratic_in_the_remaining_fraction()
    {
        Schedule s = Schedule.Polynomial(1.0, 0.0, power: 2, transitionSteps: 10);

        Assert.Equal(0.25, s.At(5), 12);
        Assert.Equal(0.01, s.At(9), 12);
    }

    [Fact]
    public void Cosine_decay_halves_at_mid_point_and_ends_at_alpha_times_init()
    {
        Schedule s = Schedule.CosineDecay(2.0, decaySteps: 100, alpha: 0.1);

        Assert.Equal(2.0, s.At(0), 12);
        Assert.Equal(2.0 * (0.9 * 0.5 + 0.1), s.At(50), 12);
        Assert.Equal(0.2, s.At(100), 12);
        Assert.Equal(0.2, s.At(1000), 12);
    }

    [Fact]
    public void Warmup_cosine_decay_peaks_after_the_warmup_and_reaches_the_end_value_at_decay_steps()
    {
        Schedule s = Schedule.WarmupCosineDecay(0.0, 1.0, warmupSteps: 10, decaySteps: 110, endValue: 0.1);

        Assert.Equal(0.0, s.At(0));
        Assert.Equal(0.5, s.At(5), 12);
        Assert.Equal(1.0, s.At(10), 12);
        Assert.Equal(0.55, s.At(60), 12);
        Assert.Equal(0.1, s.At(110), 12);
    }

    [Fact]
    public void Exponential_decay_continuous_staircase_and_bounded()
    {
        Assert.Equal(0.5, Schedule.ExponentialDecay(1.0, transitionSteps: 10, decayRate: 0.5).At(10), 12);
        Assert.Equal(Math.Sqrt(0.03125), Schedule.ExponentialDecay(1.0, 10, 0.5).At(25), 12);
        Assert.Equal(0.25, Schedule.ExponentialDecay(1.0, 10, 0.5, staircase: true).At(25), 12);
        Assert.Equal(1.0, Schedule.ExponentialDecay(1.0, 10, 0.5, transitionBegin: 5).At(5), 12);
        Assert.Equal(0.3, Schedule.ExponentialDecay(1.0, 10, 0.5, endValue: 0.3).At(40), 12);
    }

    [Fact]
    public void Join_restarts_each_schedule_at_its_boundary()
    {
        Schedule s = Schedule.Join([Schedule.Constant(3.0), Schedule.Linear(1.0, 0.0, 4)], [5]);

        Assert.Equal(3.0, s.At(4));
        Assert.Equal(1.0, s.At(5));
        Assert.Equal(0.5, s.At(7), 12);
    }

    [Fact]
    public void A_number_is_a_constant_schedule_and_describes_itself()
    {
        Schedule s = 3e-4;

        Assert.Equal(3e-4, s.At(123456));
        Assert.Equal("0.0003", s.ToString());
        Assert.Equal("adam(lr=0.0003, b1=0.9, b2=0.999, eps=1E-08, eps_root=0)", UpdateRule.Adam(3e-4).ToString());
        Assert.StartsWith("chain(clip_by_global_norm(1), adamw(", UpdateRule.AdamW(3e-4).ClipByGlobalNorm(1).ToString());
    }
}
