// Command crosscheck answers questions about a transparency log with two
// independent Go implementations, golang.org/x/mod/sumdb/{tlog,note} and
// github.com/transparency-dev/{merkle,formats}, so the TypeScript library can be
// compared against them. It reads one JSON request on stdin and writes one JSON
// response on stdout. Byte strings travel as standard base64.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	flog "github.com/transparency-dev/formats/log"
	fnote "github.com/transparency-dev/formats/note"
	fproof "github.com/transparency-dev/formats/proof"
	"github.com/transparency-dev/merkle/compact"
	mproof "github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type pair struct {
	Old   int64    `json:"old"`
	New   int64    `json:"new"`
	Proof [][]byte `json:"proof"`
}

type inclusion struct {
	Index int64    `json:"index"`
	Size  int64    `json:"size"`
	Proof [][]byte `json:"proof"`
}

type tile struct {
	Level int   `json:"level"`
	Index int64 `json:"index"`
	Width int   `json:"width"`
}

type key struct {
	Vkey string `json:"vkey"`
	// "note" for an Ed25519 note key, "cosignature" for an Ed25519 cosignature/v1 key.
	Kind string `json:"kind"`
}

type request struct {
	Entries     [][]byte    `json:"entries"`
	Roots       []int64     `json:"roots"`
	Inclusion   []inclusion `json:"inclusion"`
	Consistency []pair      `json:"consistency"`
	Tiles       []tile      `json:"tiles"`
	NewTiles    []pair      `json:"newTiles"`
	TilePaths   []string    `json:"tilePaths"`
	Sign        []struct {
		Skey string `json:"skey"`
		Text string `json:"text"`
	} `json:"sign"`
	Open []struct {
		// Bytes, not a string: notes that are not valid UTF-8 must reach note.Open as they are.
		Note []byte `json:"note"`
		Keys []key  `json:"keys"`
	} `json:"open"`
	Cosign []struct {
		Note    string `json:"note"`
		LogVkey string `json:"logVkey"`
		Skey    string `json:"skey"`
	} `json:"cosign"`
	Checkpoints []struct {
		Note      string `json:"note"`
		Origin    string `json:"origin"`
		LogVkey   string `json:"logVkey"`
		Witnesses []key  `json:"witnesses"`
	} `json:"checkpoints"`
	ParseProofs []string `json:"parseProofs"`
	MakeProofs  []struct {
		Index      uint64   `json:"index"`
		Hashes     [][]byte `json:"hashes"`
		Checkpoint string   `json:"checkpoint"`
		Extra      []byte   `json:"extra"`
	} `json:"makeProofs"`
}

type proofAnswer struct {
	// Proof produced by sumdb/tlog, and by merkle's node plan filled from the same hashes.
	Sumdb  [][]byte `json:"sumdb"`
	Merkle [][]byte `json:"merkle"`
	// Verdicts on the proof the request carried ("" = accepted).
	SumdbCheck  string `json:"sumdbCheck"`
	MerkleCheck string `json:"merkleCheck"`
}

type response struct {
	SumdbRoots  [][]byte      `json:"sumdbRoots"`
	MerkleRoots [][]byte      `json:"merkleRoots"`
	Inclusion   []proofAnswer `json:"inclusion"`
	Consistency []proofAnswer `json:"consistency"`
	Tiles       []struct {
		Path string `json:"path"`
		Data []byte `json:"data"`
	} `json:"tiles"`
	NewTiles  [][]string `json:"newTiles"`
	TilePaths []string   `json:"tilePaths"`
	Signed    []string   `json:"signed"`
	Opened    []opened   `json:"opened"`
	Cosigned  []string   `json:"cosigned"`
	Parsed    []parsedCp `json:"checkpoints"`
	Proofs    []any      `json:"parseProofs"`
	Made      []string   `json:"makeProofs"`
}

type opened struct {
	Error      string   `json:"error"`
	Text       string   `json:"text"`
	Verified   []string `json:"verified"`
	Unverified []string `json:"unverified"`
}

type parsedCp struct {
	Error  string `json:"error"`
	Origin string `json:"origin"`
	Size   uint64 `json:"size"`
	Hash   []byte `json:"hash"`
	Rest   string `json:"rest"`
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func toHashes(in [][]byte) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(in))
	for i, b := range in {
		if len(b) != tlog.HashSize {
			return nil, fmt.Errorf("hash of %d bytes", len(b))
		}
		copy(out[i][:], b)
	}
	return out, nil
}

func fromHashes(in []tlog.Hash) [][]byte {
	out := make([][]byte, len(in))
	for i := range in {
		out[i] = append([]byte(nil), in[i][:]...)
	}
	return out
}

func verifier(k key) (note.Verifier, error) {
	if k.Kind == "cosignature" {
		return fnote.NewVerifierForCosignatureV1(k.Vkey)
	}
	return note.NewVerifier(k.Vkey)
}

func main() {
	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		fail(err)
	}
	var res response

	// sumdb/tlog: every stored hash, built record by record.
	var stored []tlog.Hash
	reader := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = stored[x]
		}
		return out, nil
	})
	// merkle/compact: the roots at the requested sizes while appending.
	hasher := rfc6962.DefaultHasher
	rf := &compact.RangeFactory{Hash: hasher.HashChildren}
	rng := rf.NewEmptyRange(0)
	rootAt := map[int64][]byte{}
	record := func(size int64) {
		root, err := rng.GetRootHash(nil)
		if err != nil {
			fail(err)
		}
		rootAt[size] = root
	}
	// compact.Range has no root when empty; RFC 6962 defines it as the hash of "".
	rootAt[0] = hasher.EmptyRoot()
	for i, e := range req.Entries {
		hs, err := tlog.StoredHashes(int64(i), e, reader)
		if err != nil {
			fail(err)
		}
		stored = append(stored, hs...)
		if err := rng.Append(hasher.HashLeaf(e), nil); err != nil {
			fail(err)
		}
		record(int64(i + 1))
	}

	for _, n := range req.Roots {
		h, err := tlog.TreeHash(n, reader)
		if err != nil {
			fail(err)
		}
		res.SumdbRoots = append(res.SumdbRoots, h[:])
		res.MerkleRoots = append(res.MerkleRoots, rootAt[n])
	}

	// Fills a merkle node plan with hashes from the sumdb stored hashes.
	fill := func(n mproof.Nodes) [][]byte {
		hs := make([][]byte, len(n.IDs))
		for i, id := range n.IDs {
			h := stored[tlog.StoredHashIndex(int(id.Level), int64(id.Index))]
			hs[i] = append([]byte(nil), h[:]...)
		}
		out, err := n.Rehash(hs, hasher.HashChildren)
		if err != nil {
			fail(err)
		}
		return out
	}

	for _, q := range req.Inclusion {
		var a proofAnswer
		p, err := tlog.ProveRecord(q.Size, q.Index, reader)
		if err != nil {
			fail(err)
		}
		a.Sumdb = fromHashes(p)
		nodes, err := mproof.Inclusion(uint64(q.Index), uint64(q.Size))
		if err != nil {
			fail(err)
		}
		a.Merkle = fill(nodes)
		th, _ := tlog.TreeHash(q.Size, reader)
		leaf := stored[tlog.StoredHashIndex(0, q.Index)]
		if theirs, err := toHashes(q.Proof); err != nil {
			a.SumdbCheck = err.Error()
		} else {
			a.SumdbCheck = errText(tlog.CheckRecord(theirs, q.Size, th, q.Index, leaf))
		}
		a.MerkleCheck = errText(mproof.VerifyInclusion(hasher, uint64(q.Index), uint64(q.Size), leaf[:], q.Proof, th[:]))
		res.Inclusion = append(res.Inclusion, a)
	}

	for _, q := range req.Consistency {
		var a proofAnswer
		if q.Old > 0 {
			p, err := tlog.ProveTree(q.New, q.Old, reader)
			if err != nil {
				fail(err)
			}
			a.Sumdb = fromHashes(p)
		}
		nodes, err := mproof.Consistency(uint64(q.Old), uint64(q.New))
		if err != nil {
			fail(err)
		}
		a.Merkle = fill(nodes)
		oldRoot, _ := tlog.TreeHash(q.Old, reader)
		newRoot, _ := tlog.TreeHash(q.New, reader)
		if theirs, err := toHashes(q.Proof); err != nil {
			a.SumdbCheck = err.Error()
		} else {
			a.SumdbCheck = errText(tlog.CheckTree(theirs, q.New, newRoot, q.Old, oldRoot))
		}
		a.MerkleCheck = errText(mproof.VerifyConsistency(hasher, uint64(q.Old), uint64(q.New), q.Proof, oldRoot[:], newRoot[:]))
		res.Consistency = append(res.Consistency, a)
	}

	for _, t := range req.Tiles {
		gt := tlog.Tile{H: 8, L: t.Level, N: t.Index, W: t.Width}
		data, err := tlog.ReadTileData(gt, reader)
		if err != nil {
			fail(err)
		}
		res.Tiles = append(res.Tiles, struct {
			Path string `json:"path"`
			Data []byte `json:"data"`
		}{gt.Path(), data})
	}

	for _, q := range req.NewTiles {
		paths := []string{}
		for _, t := range tlog.NewTiles(8, q.Old, q.New) {
			paths = append(paths, t.Path())
		}
		res.NewTiles = append(res.NewTiles, paths)
	}

	// sumdb spells tile paths with the height (tile/8/...) and "data" for entries.
	for _, p := range req.TilePaths {
		goPath := "tile/8/" + strings.Replace(strings.TrimPrefix(p, "tile/"), "entries/", "data/", 1)
		t, err := tlog.ParseTilePath(goPath)
		if err != nil {
			res.TilePaths = append(res.TilePaths, "error")
			continue
		}
		res.TilePaths = append(res.TilePaths, fmt.Sprintf("%d/%d/%d", t.L, t.N, t.W))
	}

	for _, s := range req.Sign {
		signer, err := note.NewSigner(s.Skey)
		if err != nil {
			fail(err)
		}
		msg, err := note.Sign(&note.Note{Text: s.Text}, signer)
		if err != nil {
			fail(err)
		}
		res.Signed = append(res.Signed, string(msg))
	}

	for _, o := range req.Open {
		var vs []note.Verifier
		for _, k := range o.Keys {
			v, err := verifier(k)
			if err != nil {
				fail(err)
			}
			vs = append(vs, v)
		}
		var r opened
		n, err := note.Open(o.Note, note.VerifierList(vs...))
		if err != nil {
			r.Error = err.Error()
		} else {
			r.Text = n.Text
			for _, s := range n.Sigs {
				r.Verified = append(r.Verified, fmt.Sprintf("%s+%08x", s.Name, s.Hash))
			}
			for _, s := range n.UnverifiedSigs {
				r.Unverified = append(r.Unverified, fmt.Sprintf("%s+%08x", s.Name, s.Hash))
			}
		}
		res.Opened = append(res.Opened, r)
	}

	for _, c := range req.Cosign {
		logV, err := note.NewVerifier(c.LogVkey)
		if err != nil {
			fail(err)
		}
		n, err := note.Open([]byte(c.Note), note.VerifierList(logV))
		if err != nil {
			fail(err)
		}
		signer, err := fnote.NewSignerForCosignatureV1(c.Skey)
		if err != nil {
			fail(err)
		}
		msg, err := note.Sign(n, signer)
		if err != nil {
			fail(err)
		}
		res.Cosigned = append(res.Cosigned, string(msg))
	}

	for _, c := range req.Checkpoints {
		logV, err := note.NewVerifier(c.LogVkey)
		if err != nil {
			fail(err)
		}
		var others []note.Verifier
		for _, k := range c.Witnesses {
			v, err := verifier(k)
			if err != nil {
				fail(err)
			}
			others = append(others, v)
		}
		var r parsedCp
		cp, rest, _, err := flog.ParseCheckpoint([]byte(c.Note), c.Origin, logV, others...)
		if err != nil {
			r.Error = err.Error()
		} else {
			r.Origin, r.Size, r.Hash, r.Rest = cp.Origin, cp.Size, cp.Hash, string(rest)
		}
		res.Parsed = append(res.Parsed, r)
	}

	for _, text := range req.ParseProofs {
		var p fproof.TLogProof
		if err := p.Unmarshal([]byte(text)); err != nil {
			res.Proofs = append(res.Proofs, map[string]string{"error": err.Error()})
			continue
		}
		hashes := make([][]byte, len(p.Hashes))
		for i := range p.Hashes {
			hashes[i] = p.Hashes[i][:]
		}
		res.Proofs = append(res.Proofs, map[string]any{"index": p.Index, "hashes": hashes, "checkpoint": string(p.Checkpoint), "extra": p.ExtraData})
	}

	for _, m := range req.MakeProofs {
		p := fproof.TLogProof{Index: m.Index, Checkpoint: []byte(m.Checkpoint), ExtraData: m.Extra}
		for _, h := range m.Hashes {
			p.Hashes = append(p.Hashes, [32]byte(h))
		}
		res.Made = append(res.Made, string(p.Marshal()))
	}

	if err := json.NewEncoder(os.Stdout).Encode(res); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "crosscheck:", err)
	os.Exit(1)
}
