using Atlas.Core.Auth;
using Atlas.Core.Ledger;
using Atlas.Core.Payments;
using Atlas.Core.Rides;
using Atlas.Functions.Auth;
using Atlas.Functions.Bookings;
using Atlas.Functions.Companies;
using Atlas.Functions.Http;
using Atlas.Functions.Ledger;
using Atlas.Functions.Lifecycles;
using Atlas.Functions.Notifications;
using Atlas.Functions.Notifications.Providers;
using Atlas.Functions.Payments;

namespace Atlas.Functions.Privacy;

/// <summary>Gathers the <see cref="ExportDocument"/> of the caller from every store that holds something of theirs,
/// by their user id, member id or phone: only ever the caller's.</summary>
public sealed class UserExport(
    Lifecycle<Account, AccountCommand> accounts,
    SessionIssuer issuer,
    CompanyStore companies,
    UserProfiles profiles,
    UserSessions sessionIndex,
    Lifecycle<Session, SessionCommand> sessions,
    Devices devices,
    UserHistory history,
    Lifecycle<Escrow, EscrowCommand> escrows,
    PaymentProfiles cards,
    Receipts receipts,
    LedgerStore ledger,
    SmsLog texts,
    TimeProvider clock)
{
    public async Task<ExportDocument> ComposeAsync(Caller caller, CancellationToken ct)
    {
        var userId = caller.UserId;
        var phone = PhoneNumber.FromStored(caller.Phone);
        var (account, _) = await accounts.GetAsync(phone.Digits, ct);
        var me = issuer.CallerFor(userId, caller.SessionId, phone, account);
        var membership = account.Membership;
        var member = membership is null ? null : await companies.FindMemberAsync(membership.CompanyId, membership.MemberId, ct);
        var driverId = membership is { Role: Role.Driver } ? membership.MemberId : null;

        var bookings = await history.BookingsAsync(userId, ct);
        var rides = await history.RidesAsync(userId, bookings, ct);
        return new ExportDocument(
            clock.GetUtcNow(),
            new AccountExport(userId, phone.Value, me.Role, me.CompanyId, me.MemberId, member?.AddedAt),
            await profiles.FindAsync(userId, ct) is { } profile ? new ProfileExport(profile.Language, profile.Email, profile.Pending?.Email) : null,
            driverId is null ? null : Driver(await companies.FindDriverAsync(membership!.CompanyId, driverId, ct)),
            await SessionsAsync(userId, ct),
            [.. (await devices.ListAsync(userId, ct)).Select(d => new DeviceExport(d.DeviceId, d.Platform, d.UpdatedAt))],
            [.. bookings.Where(b => b.Terms!.RiderId == userId).Select(b => BookingViews.Show(b, BookingViewer.Booker, me))],
            [.. rides.Select(Ride)],
            [.. rides.Select(RatingGiven).OfType<RatingExport>()],
            await PaymentsAsync(userId, driverId, rides, ct),
            [.. (await texts.SentToAsync(phone.Value, ct)).Select(t => new TextExport(t.Kind, t.SentAt, t.Status))]);
    }

    private static DriverExport? Driver(Driver? driver) => driver is null
        ? null
        : new DriverExport(driver.Name, driver.LicenceNumber, driver.VehicleId, driver.Rating, driver.Available, driver.LastLocation, driver.PayoutAccountId);

    private async Task<IReadOnlyList<SessionExport>> SessionsAsync(string userId, CancellationToken ct)
    {
        List<SessionExport> list = [];
        foreach (var id in await sessionIndex.ListAsync(userId, ct))
        {
            switch ((await sessions.GetAsync(id, ct)).State)
            {
                case ActiveSession a when a.UserId == userId:
                    list.Add(new SessionExport(id, "active", a.StartedAt, a.RefreshedAt, null, null));
                    break;
                case RevokedSession r when r.UserId == userId:
                    list.Add(new SessionExport(id, "revoked", null, null, r.RevokedAt, r.Reason));
                    break;
            }
        }

        return list;
    }

    private static RideExport Ride(UserRide ride)
    {
        var (state, terms) = (ride.Ride, ride.Ride.Terms!);
        var ending = state.Ending is { } e ? new EndingView(e.At, e.By?.ToString().ToLowerInvariant(), e.Reason, e.Fee, terms.Currency) : null;
        return new RideExport(
            ride.RideId,
            terms.BookingId,
            ride.As == Party.Rider ? "rider" : "driver",
            state.Status,
            new PointBody(terms.Trip.Pickup.Lat, terms.Trip.Pickup.Lng),
            new PointBody(terms.Trip.Dropoff.Lat, terms.Trip.Dropoff.Lng),
            terms.Price,
            terms.Currency,
            state.AssignedAt,
            state.StartedAt,
            ending);
    }

    private static RatingExport? RatingGiven(UserRide ride) => (ride.As, ride.Ride) switch
    {
        (Party.Rider, { RiderRating: { } r }) => new RatingExport(ride.RideId, "driver", r.Stars, r.Comment, r.At),
        (Party.Driver, { DriverRating: { } r }) => new RatingExport(ride.RideId, "rider", r.Stars, r.Comment, r.At),
        _ => null,
    };

    private async Task<PaymentsExport> PaymentsAsync(string userId, string? driverId, IReadOnlyList<UserRide> rides, CancellationToken ct)
    {
        List<RidePaymentExport> payments = [];
        List<ReceiptExport> receiptList = [];
        foreach (var ride in rides.Where(r => r.As == Party.Rider))
        {
            var (escrow, _) = await escrows.GetAsync(ride.RideId, ct);
            if (escrow.Terms is not { } terms)
            {
                continue;
            }

            payments.Add(new RidePaymentExport(
                ride.RideId,
                char.ToLowerInvariant(escrow.Status.ToString()[0]) + escrow.Status.ToString()[1..],
                terms.Currency,
                terms.Price,
                escrow.Captured,
                escrow.RefundedDone,
                escrow.Tip is { Done: true } tip ? tip.Amount : null,
                escrow.Dispute?.Status));
            if (escrow.Status == EscrowStatus.Captured)
            {
                var receipt = await receipts.ComposeAsync(ride.RideId, ct);
                receiptList.Add(new ReceiptExport(
                    receipt.RideId, receipt.Currency, [.. receipt.Lines.Select(l => new ReceiptLine(l.Label, l.Amount))], receipt.Total,
                    receipt.StartedAt, receipt.EndedAt, receipt.Card, receipt.Company));
            }
        }

        var card = await cards.FindAsync(userId, ct);
        return new PaymentsExport(
            card?.CustomerId,
            card is { PaymentMethodId: { } method } ? new CardExport(method, card.Brand, card.Last4) : null,
            payments,
            receiptList,
            driverId is null ? [] : Earnings(driverId, await ledger.ReadDriverAsync(driverId, ct)));
    }

    private static IReadOnlyList<EarningExport> Earnings(string driverId, IReadOnlyList<LedgerTransaction> transactions) =>
    [
        .. transactions
            .Select(t => (t, Earned: -t.AmountOn(LedgerAccounts.DriverPayable(driverId)), Held: -t.AmountOn(LedgerAccounts.DriverHeld(driverId))))
            .Where(x => x.Earned != 0 || x.Held != 0)
            .Select(x => new EarningExport(x.t.Id, x.t.Kind, x.t.RideId, x.t.At, x.t.Currency, x.Earned, x.Held, x.t.Reference)),
    ];
}
