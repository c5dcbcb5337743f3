/// Memory for reading whole files, kept by one worker and reused from file to file.
///
/// A fresh allocation per file costs a page fault and a kernel page clear for every 4 kB read (the reads of a
/// bulk load are a gigabyte or more); a buffer that stays mapped pays that once, for its largest file.
/// Not synchronised: one reader at a time.
final class FileBuffer {
    private var start: UnsafeMutableRawPointer?
    private var capacity = 0

    init() {}

    deinit { start?.deallocate() }

    /// Room for `size` bytes (the previous contents are not kept).
    func reserve(_ size: Int) -> UnsafeMutableRawPointer {
        if let start, capacity >= size { return start }
        start?.deallocate()
        // A little headroom, so that files of about the same size do not each reallocate.
        capacity = max(size, capacity + capacity / 4)
        let fresh = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        start = fresh
        return fresh
    }
}
