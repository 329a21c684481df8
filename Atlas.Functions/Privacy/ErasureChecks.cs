using Atlas.Core.Auth;
using Atlas.Core.Drivers;
using Atlas.Core.Ledger;
using Atlas.Core.Privacy;
using Atlas.Functions.Auth;
using Atlas.Functions.Ledger;
using Atlas.Functions.Lifecycles;

namespace Atlas.Functions.Privacy;

/// <summary>Reads what <see cref="ErasureRules"/> look at, each fact from what owns it: the configured platform admins,
/// the driver's instance (their active ride), the user's bookings, the driver's ledger.</summary>
public sealed class ErasureChecks(Lifecycle<DriverDuty, DriverDutyCommand> duties, UserHistory history, LedgerStore ledger, PlatformAdmins admins)
{
    public async Task<ErasureFacts> ReadAsync(string userId, PhoneNumber phone, Account account, CancellationToken ct)
    {
        var driverId = account.Membership is { Role: Role.Driver } membership ? membership.MemberId : null;
        var open = UserHistory.Open(userId, await history.BookingsAsync(userId, ct));
        if (driverId is null)
        {
            return new ErasureFacts(admins.Contains(phone), null, open, []);
        }

        var (duty, _) = await duties.GetAsync(driverId, ct);
        var balances = Balances.Of(await ledger.ReadDriverAsync(driverId, ct));
        var earnings = balances.Currencies.Select(c => new DriverEarnings(c, balances.Payable(driverId, c), balances.Held(driverId, c))).ToList();
        return new ErasureFacts(admins.Contains(phone), duty.ActiveRideId, open, earnings);
    }
}
