namespace Atlas.Core.Ledger;

/// <summary>Balances derived from transactions, per account and currency. Nothing stores a balance: it is always
/// the sum of the postings.</summary>
public sealed class Balances
{
    private readonly Dictionary<(string Account, string Currency), long> _balances = [];

    public static Balances Of(IEnumerable<LedgerTransaction> transactions)
    {
        var balances = new Balances();
        foreach (var transaction in transactions)
        {
            balances.Apply(transaction);
        }

        return balances;
    }

    public void Apply(LedgerTransaction transaction)
    {
        foreach (var posting in transaction.Postings)
        {
            var key = (posting.Account, transaction.Currency);
            _balances[key] = _balances.GetValueOrDefault(key) + posting.Amount;
        }
    }

    public long this[string account, string currency] => _balances.GetValueOrDefault((account, currency));

    public IEnumerable<string> Currencies => _balances.Keys.Select(k => k.Currency).Distinct(StringComparer.Ordinal);

    /// <summary>What the platform owes the driver (positive) or the driver owes back (negative).</summary>
    public long Payable(string driverId, string currency) => -this[LedgerAccounts.DriverPayable(driverId), currency];

    public long Held(string driverId, string currency) => -this[LedgerAccounts.DriverHeld(driverId), currency];

    /// <summary>Every account's balance in a currency sums to zero when every transaction did.</summary>
    public long Total(string currency) => _balances.Where(b => b.Key.Currency == currency).Sum(b => b.Value);
}
