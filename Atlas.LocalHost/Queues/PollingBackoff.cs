namespace Atlas.LocalHost.Queues;

/// <summary>
/// The queue listener's poll delay: back to the minimum after finding messages, otherwise doubling
/// (randomised by ±20%) from the minimum up to maxPollingInterval, as the WebJobs queue listener does.
/// </summary>
internal sealed class PollingBackoff
{
    private const double Randomization = 0.2;

    private readonly TimeSpan _minimum;
    private readonly TimeSpan _maximum;
    private TimeSpan _current;
    private int _exponent;

    public PollingBackoff(TimeSpan minimum, TimeSpan maximum)
    {
        _minimum = minimum;
        _maximum = maximum;
        _current = minimum;
    }

    public TimeSpan Next(bool foundMessages)
    {
        if (foundMessages)
        {
            _current = _minimum;
            _exponent = 1;
            return _current;
        }

        if (_current < _maximum)
        {
            var grown = _minimum;
            if (_exponent > 0)
            {
                var jitter = 1 + (((Random.Shared.NextDouble() * 2) - 1) * Randomization);
                grown += TimeSpan.FromMilliseconds(jitter * Math.Pow(2, _exponent - 1) * _minimum.TotalMilliseconds);
            }

            _current = grown < _maximum ? grown : _maximum;
            _exponent++;
        }

        return _current;
    }
}
