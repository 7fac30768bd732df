package otherlib;

/** A whole jar the handler never reaches: only its licence may remain. */
public final class Never {
}
