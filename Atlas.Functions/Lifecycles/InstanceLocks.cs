namespace Atlas.Functions.Lifecycles;

/// <summary>
/// Serialises commands to the same instance within this process, so they queue up instead of racing each other
/// on the ETag. Striped, so memory stays fixed however many instances there are. Across processes the ETag
/// still decides.
/// </summary>
public sealed class InstanceLocks
{
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, 512).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async Task<Held> AcquireAsync(string key, CancellationToken ct)
    {
        var stripe = _stripes[(int)((uint)StringComparer.Ordinal.GetHashCode(key) % (uint)_stripes.Length)];
        await stripe.WaitAsync(ct);
        return new Held(stripe);
    }

    /// <summary>An instance's lock, released on dispose, unless handed over to work that goes on after the caller.</summary>
    public sealed class Held : IDisposable
    {
        private readonly SemaphoreSlim _stripe;
        private int _released;

        internal Held(SemaphoreSlim stripe) => _stripe = stripe;

        /// <summary>Keeps the lock past this object's dispose: the returned one releases it.</summary>
        public IDisposable HandOver()
        {
            var kept = new Held(_stripe);
            Interlocked.Exchange(ref _released, 1);
            return kept;
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                _stripe.Release();
            }
        }
    }
}
