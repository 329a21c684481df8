using Atlas.Core.Auth;

namespace Atlas.Functions.Auth;

/// <summary>The SmsGuard section: where sign-in texts may go and how many (docs/sms-abuse.md).</summary>
public sealed class SmsGuardOptions
{
    public const string Section = "SmsGuard";

    /// <summary>Calling codes texts may go to, comma-separated (<c>44,33,1</c>); <c>!1876</c> carves a part out of a
    /// wider one. No default: every deployment says where it texts.</summary>
    public string CallingCodes { get; set; } = "";

    public int HourlyPerCallingCode { get; set; } = 500;

    public int HourlyTotal { get; set; } = 2000;

    public TimeSpan ConversionWindow { get; set; } = TimeSpan.FromMinutes(10);

    public int MinVolume { get; set; } = 30;

    public double MinConversion { get; set; } = 0.2;

    public int TricklePerMinute { get; set; } = 2;

    /// <summary>How old the other instances' counts may be before this one reads them again.</summary>
    public TimeSpan RefreshEvery { get; set; } = TimeSpan.FromSeconds(1);

    public CallingCodes ToCallingCodes() =>
        Atlas.Core.Auth.CallingCodes.TryParse(CallingCodes, out var codes) ? codes : throw new InvalidOperationException(CodesProblem);

    public SmsGuardRules ToRules() => new(HourlyPerCallingCode, HourlyTotal, ConversionWindow, MinVolume, MinConversion, TricklePerMinute);

    public IEnumerable<string> Problems()
    {
        if (!Atlas.Core.Auth.CallingCodes.TryParse(CallingCodes, out _))
        {
            yield return CodesProblem;
        }

        if (HourlyPerCallingCode < 1 || HourlyTotal < 1)
        {
            yield return "SmsGuard:HourlyPerCallingCode and SmsGuard:HourlyTotal are at least 1.";
        }

        // Whole minutes (the counters' buckets), and at most an hour: the counts of two clock hours cover it.
        if (ConversionWindow < TimeSpan.FromMinutes(1) || ConversionWindow > TimeSpan.FromHours(1) || ConversionWindow.Ticks % TimeSpan.TicksPerMinute != 0)
        {
            yield return "SmsGuard:ConversionWindow is whole minutes, from 00:01:00 to 01:00:00.";
        }

        if (MinVolume < 1 || MinConversion is < 0 or > 1 || double.IsNaN(MinConversion) || TricklePerMinute < 0)
        {
            yield return "SmsGuard:MinVolume is at least 1, SmsGuard:MinConversion is 0 to 1 and SmsGuard:TricklePerMinute is not negative.";
        }

        if (RefreshEvery <= TimeSpan.Zero || RefreshEvery > TimeSpan.FromMinutes(1))
        {
            yield return "SmsGuard:RefreshEvery is positive and at most 00:01:00.";
        }
    }

    private const string CodesProblem =
        "SmsGuard:CallingCodes lists the calling codes sign-in texts may go to, comma-separated digits such as 44,33,1 (a '!' before one refuses it inside a wider one); at least one, at most 100.";
}
