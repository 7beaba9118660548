package io.bulkreg.registration;

/** What a claim came back with: a request written ahead, or why there is none. A closed set. */
public sealed interface Claim {

    /** Devices now IN_FLIGHT under a request logged with its platform, committed: send it. */
    record Request(ClaimedRequest request) implements Claim {
    }

    /** Nothing left to claim: no PENDING device (of the lot) that another claimer is not holding. */
    record NothingLeft() implements Claim {
    }

    /**
     * Nothing to send from the rows this claim met (they broke the platform's rules and were rejected, or another
     * claimer took them first); more may wait: claim again.
     */
    record Again() implements Claim {
    }

    /** This execution's lease was taken over by a run that judged it dead: nothing was claimed, the run must stop. */
    record LeaseLost() implements Claim {
    }
}
