namespace Atlas.Core.Ledger;

/// <summary>The platform's cut of a ride: a percentage (in basis points, 1/100 of a percent) plus a fixed amount,
/// never more than the amount itself. The driver gets the rest, so the two parts always add up to the whole.</summary>
public readonly record struct PlatformFee(int BasisPoints, long Fixed)
{
    public const int MaxBasisPoints = 10_000;

    public static PlatformFee Default { get; } = new(1_500, 0);

    public bool IsValid => BasisPoints is >= 0 and <= MaxBasisPoints && Fixed >= 0;

    /// <summary>The fee (percentage rounded half to even, once) and the driver's share of <paramref name="amount"/>.</summary>
    public (long Fee, long DriverShare) Split(long amount)
    {
        if (amount <= 0)
        {
            return (0, 0);
        }

        var percent = (long)Math.Round((decimal)amount * BasisPoints / MaxBasisPoints, MidpointRounding.ToEven);
        var fee = Math.Min(amount, percent + Fixed);
        return (fee, amount - fee);
    }

    /// <summary>The part of <paramref name="share"/> (out of <paramref name="whole"/>) that <paramref name="part"/>
    /// carries: a refund of half the fare takes half the driver's share. Rounded half to even.</summary>
    public static long Proportion(long part, long share, long whole) =>
        whole <= 0 ? 0 : (long)Math.Round((decimal)part * share / whole, MidpointRounding.ToEven);
}
