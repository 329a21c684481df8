namespace Atlas.Functions.Http;

/// <summary>
/// An outside service a request needs did not answer after its retries. What escapes an HTTP function as one is a 503
/// with <c>Retry-After</c> that says which part of the app is down (<see cref="ProblemResponses"/>), not a 500; other
/// triggers let it through, so their message is retried.
/// </summary>
public abstract class UnavailableException(string message, Exception? inner) : Exception(message, inner)
{
    /// <summary>The problem's title: what the caller cannot do for a moment.</summary>
    public abstract string Title { get; }

    /// <summary>The problem's detail: why, without the internals.</summary>
    public abstract string Detail { get; }

    public virtual TimeSpan RetryAfter => TimeSpan.FromSeconds(5);
}
