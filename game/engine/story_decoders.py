"""The story cache's decoders, one function per class: written by `python -m
game.engine.decoder_source` from the compiled story's dataclasses. Do not edit; see there."""

# fmt: off
from __future__ import annotations

from typing import Any, Callable

from game.engine.diagnostics import Diagnostic
from game.engine.rules import Condition
from game.engine.story import Choice, Effect, Ending, Partner, Scene, Side, Source, Story, Var
from game.engine.text import Template

SCHEMA = '6fb831629a89bfb6933f27d126c09f398e0dbae03168b67a4a040ac75a0efa19'
"""The schema signature of the classes below when the module was written (`codec.schema_signature`)."""

FIELDS: dict[type, tuple[str, ...]] = {
    Var: ('name: str', 'label: str', 'description: str', 'type: VarType', 'min: int', 'max: int', 'start: Value', 'show: bool', 'display: Display', 'file: str', 'side: str', 'words: tuple[str, ...]', 'meaning: tuple[tuple[str, str], ...]', 'short: str',),
    Story: ('id: str', 'title: str', 'subtitle: str', 'begins: dt.datetime', 'ends: dt.datetime', 'critic: str', 'sides: Mapping[str, Side]', 'vars: Mapping[str, Var]', 'sources: Mapping[str, Source]', 'scenes: Mapping[str, Scene]', 'history: Mapping[str, tuple[str, ...]]', 'fingerprint: str', 'root: str', 'var_names: tuple[str, ...]', 'observed_seen: frozenset[str]', 'real_score: Optional[float]', 'outlets: Mapping[str, tuple[str, ...]]', 'outlet_files: Mapping[str, str]', 'partners: Mapping[str, Partner]',),
    Side: ('id: str', 'name: str', 'role: str', 'start: str', 'blurb: str', 'stakes: str', 'start_values: Mapping[str, Value]', 'file: str',),
    Source: ('id: str', 'outlet: str', 'title: str', 'date: dt.date', 'url: Optional[str]', 'note: str', 'file: str', 'author: str', 'read_at: Optional[str]', 'described: bool',),
    Scene: ('id: str', 'side: str', 'at: dt.datetime', 'title: str', 'provenance: Provenance', 'sources: tuple[str, ...]', 'text: str', 'note: str', 'headline: str', 'choices: tuple[Choice, ...]', 'ending: Optional[Ending]', 'file: str', 'body: Template', 'news: Template',),
    Choice: ('id: str', 'text: str', 'goto: str', 'condition: Optional[Condition]', 'locked: Optional[str]', 'hidden: bool', 'effects: tuple[Effect, ...]', 'file: str', 'key: tuple[Union[str, int], ...]', 'label: Template', 'outcome: Optional[Template]',),
    Effect: ('var: str', 'op: str', 'value: Value',),
    Ending: ('title: str', 'history: str', 'critic: str', 'score: float', 'historical: bool',),
    Partner: ('name: str', 'domains: tuple[str, ...]', 'carries: tuple[str, ...]', 'file: str',),
    Diagnostic: ('path: str', 'line: int', 'col: int', 'severity: Severity', 'code: str', 'message: str',),
}
"""Each class's fields, each with its annotation as written: the module is used only while they are these."""

WORDS_0 = {'int': 'int', 'bool': 'bool'}
WORDS_1 = {'meter': 'meter', 'scale': 'scale'}
WORDS_2 = {'documented': 'documented', 'reported': 'reported', 'counterfactual': 'counterfactual'}
WORDS_3 = {'error': 'error', 'warning': 'warning'}

new = object.__new__


class _EffectFields:
    """Effect's slots on a plain class: its fields are stored into one, which then becomes a Effect."""

    __slots__ = ('var', 'op', 'value',)
    var: Any
    op: Any
    value: Any


class _ChoiceFields:
    """Choice's slots on a plain class: its fields are stored into one, which then becomes a Choice."""

    __slots__ = ('id', 'text', 'goto', 'condition', 'locked', 'hidden', 'effects', 'file', 'key', 'label', 'outcome',)
    id: Any
    text: Any
    goto: Any
    condition: Any
    locked: Any
    hidden: Any
    effects: Any
    file: Any
    key: Any
    label: Any
    outcome: Any


class _EndingFields:
    """Ending's slots on a plain class: its fields are stored into one, which then becomes a Ending."""

    __slots__ = ('title', 'history', 'critic', 'score', 'historical',)
    title: Any
    history: Any
    critic: Any
    score: Any
    historical: Any


class _SceneFields:
    """Scene's slots on a plain class: its fields are stored into one, which then becomes a Scene."""

    __slots__ = ('id', 'side', 'at', 'title', 'provenance', 'sources', 'text', 'note', 'headline', 'choices', 'ending', 'file', 'body', 'news',)
    id: Any
    side: Any
    at: Any
    title: Any
    provenance: Any
    sources: Any
    text: Any
    note: Any
    headline: Any
    choices: Any
    ending: Any
    file: Any
    body: Any
    news: Any


TWINS: dict[type, type] = {Effect: _EffectFields, Choice: _ChoiceFields, Ending: _EndingFields, Scene: _SceneFields}
"""The slotted classes' twins (`records.built_by_stores`)."""

STORED: tuple[type, ...] = (Var, Side, Source, Effect, Choice, Ending, Scene, Partner, Diagnostic,)
"""The classes built by storing their fields: the module is used only while that builds what their constructors build."""


def decoders(strings: list[str], share: Callable[[str, str], str], bad: type[Exception],
             template: Callable[[str], Template], condition: Callable[[str], Condition],
             finite: Callable[[Any], float], moment: Callable[[Any], Any], day: Callable[[Any], Any],
             ) -> tuple[Callable[[Any], Any], ...]:
    """The decoders of the variables, the story, its diagnostics and one scene, for a payload
    whose string table is `strings`: every other argument is `codec.py`'s own."""
    count = len(strings)

    def d_2(x: Any) -> Any:
        if type(x) is not list:
            raise bad('expected a list')
        out = []
        for v in x:
            if type(v) is not int or not 0 <= v < count:
                raise bad('expected a string number')
            w = strings[v]
            out.append(w)
        return tuple(out)

    def d_4(x: Any) -> Any:
        if type(x) is not list or len(x) != 2:
            raise bad('expected a list of 2')
        n9 = x[0]
        if type(n9) is not int or not 0 <= n9 < count:
            raise bad('expected a string number')
        w0 = strings[n9]
        n10 = x[1]
        if type(n10) is not int or not 0 <= n10 < count:
            raise bad('expected a string number')
        w1 = strings[n10]
        return (w0, w1,)

    def d_3(x: Any) -> Any:
        if type(x) is not list:
            raise bad('expected a list')
        out = []
        for v in x:
            w = d_4(v)
            out.append(w)
        return tuple(out)

    def d_Var(x: Any) -> Any:
        if type(x) is not list or len(x) != 14:
            raise bad('expected a Var of 14 fields')
        n1 = x[0]
        if type(n1) is not int or not 0 <= n1 < count:
            raise bad('expected a string number')
        f0 = strings[n1]
        n2 = x[1]
        if type(n2) is not int or not 0 <= n2 < count:
            raise bad('expected a string number')
        f1 = strings[n2]
        n3 = x[2]
        if type(n3) is not int or not 0 <= n3 < count:
            raise bad('expected a string number')
        f2 = strings[n3]
        w4 = x[3]
        if type(w4) is not str or w4 not in WORDS_0:
            raise bad('expected a word')
        f3 = WORDS_0[w4]
        f4 = x[4]
        if type(f4) is not int:
            raise bad('expected int')
        f5 = x[5]
        if type(f5) is not int:
            raise bad('expected int')
        u5 = x[6]
        if type(u5) not in (int, bool,):
            raise bad('expected int, bool')
        f6 = u5
        f7 = x[7]
        if type(f7) is not bool:
            raise bad('expected bool')
        w6 = x[8]
        if type(w6) is not str or w6 not in WORDS_1:
            raise bad('expected a word')
        f8 = WORDS_1[w6]
        n7 = x[9]
        if type(n7) is not int or not 0 <= n7 < count:
            raise bad('expected a string number')
        f9 = strings[n7]
        n8 = x[10]
        if type(n8) is not int or not 0 <= n8 < count:
            raise bad('expected a string number')
        f10 = strings[n8]
        f11 = d_2(x[11])
        f12 = d_3(x[12])
        n11 = x[13]
        if type(n11) is not int or not 0 <= n11 < count:
            raise bad('expected a string number')
        f13 = strings[n11]
        o = new(Var)
        d = o.__dict__
        d['name'] = f0
        d['label'] = f1
        d['description'] = f2
        d['type'] = f3
        d['min'] = f4
        d['max'] = f5
        d['start'] = f6
        d['show'] = f7
        d['display'] = f8
        d['file'] = f9
        d['side'] = f10
        d['words'] = f11
        d['meaning'] = f12
        d['short'] = f13
        return o

    def d_0(x: Any) -> Any:
        if type(x) is not dict:
            raise bad('expected an object')
        out = {}
        for k, v in x.items():
            w = d_Var(v)
            out[share(k, k)] = w
        return out

    def d_8(x: Any) -> Any:
        if type(x) is not dict:
            raise bad('expected an object')
        out = {}
        for k, v in x.items():
            u22 = v
            if type(u22) not in (int, bool,):
                raise bad('expected int, bool')
            w = u22
            out[share(k, k)] = w
        return out

    def d_Side(x: Any) -> Any:
        if type(x) is not list or len(x) != 8:
            raise bad('expected a Side of 8 fields')
        n16 = x[0]
        if type(n16) is not int or not 0 <= n16 < count:
            raise bad('expected a string number')
        f0 = strings[n16]
        n17 = x[1]
        if type(n17) is not int or not 0 <= n17 < count:
            raise bad('expected a string number')
        f1 = strings[n17]
        n18 = x[2]
        if type(n18) is not int or not 0 <= n18 < count:
            raise bad('expected a string number')
        f2 = strings[n18]
        n19 = x[3]
        if type(n19) is not int or not 0 <= n19 < count:
            raise bad('expected a string number')
        f3 = strings[n19]
        n20 = x[4]
        if type(n20) is not int or not 0 <= n20 < count:
            raise bad('expected a string number')
        f4 = strings[n20]
        n21 = x[5]
        if type(n21) is not int or not 0 <= n21 < count:
            raise bad('expected a string number')
        f5 = strings[n21]
        f6 = d_8(x[6])
        n23 = x[7]
        if type(n23) is not int or not 0 <= n23 < count:
            raise bad('expected a string number')
        f7 = strings[n23]
        o = new(Side)
        d = o.__dict__
        d['id'] = f0
        d['name'] = f1
        d['role'] = f2
        d['start'] = f3
        d['blurb'] = f4
        d['stakes'] = f5
        d['start_values'] = f6
        d['file'] = f7
        return o

    def d_6(x: Any) -> Any:
        if type(x) is not dict:
            raise bad('expected an object')
        out = {}
        for k, v in x.items():
            w = d_Side(v)
            out[share(k, k)] = w
        return out

    def d_Source(x: Any) -> Any:
        if type(x) is not list or len(x) != 10:
            raise bad('expected a Source of 10 fields')
        n24 = x[0]
        if type(n24) is not int or not 0 <= n24 < count:
            raise bad('expected a string number')
        f0 = strings[n24]
        n25 = x[1]
        if type(n25) is not int or not 0 <= n25 < count:
            raise bad('expected a string number')
        f1 = strings[n25]
        n26 = x[2]
        if type(n26) is not int or not 0 <= n26 < count:
            raise bad('expected a string number')
        f2 = strings[n26]
        f3 = day(x[3])
        o27 = x[4]
        if o27 is None:
            f4 = None
        else:
            if type(o27) is not int or not 0 <= o27 < count:
                raise bad('expected a string number')
            f4 = strings[o27]
        n28 = x[5]
        if type(n28) is not int or not 0 <= n28 < count:
            raise bad('expected a string number')
        f5 = strings[n28]
        n29 = x[6]
        if type(n29) is not int or not 0 <= n29 < count:
            raise bad('expected a string number')
        f6 = strings[n29]
        n30 = x[7]
        if type(n30) is not int or not 0 <= n30 < count:
            raise bad('expected a string number')
        f7 = strings[n30]
        o31 = x[8]
        if o31 is None:
            f8 = None
        else:
            if type(o31) is not int or not 0 <= o31 < count:
                raise bad('expected a string number')
            f8 = strings[o31]
        f9 = x[9]
        if type(f9) is not bool:
            raise bad('expected bool')
        o = new(Source)
        d = o.__dict__
        d['id'] = f0
        d['outlet'] = f1
        d['title'] = f2
        d['date'] = f3
        d['url'] = f4
        d['note'] = f5
        d['file'] = f6
        d['author'] = f7
        d['read_at'] = f8
        d['described'] = f9
        return o

    def d_9(x: Any) -> Any:
        if type(x) is not dict:
            raise bad('expected an object')
        out = {}
        for k, v in x.items():
            w = d_Source(v)
            out[share(k, k)] = w
        return out

    def d_Effect(x: Any) -> Any:
        if type(x) is not list or len(x) != 3:
            raise bad('expected a Effect of 3 fields')
        n44 = x[0]
        if type(n44) is not int or not 0 <= n44 < count:
            raise bad('expected a string number')
        f0 = strings[n44]
        n45 = x[1]
        if type(n45) is not int or not 0 <= n45 < count:
            raise bad('expected a string number')
        f1 = strings[n45]
        u46 = x[2]
        if type(u46) not in (int, bool,):
            raise bad('expected int, bool')
        f2 = u46
        o = new(_EffectFields)
        o.var = f0
        o.op = f1
        o.value = f2
        o.__class__ = Effect  # type: ignore[assignment]
        return o

    def d_15(x: Any) -> Any:
        if type(x) is not list:
            raise bad('expected a list')
        out = []
        for v in x:
            w = d_Effect(v)
            out.append(w)
        return tuple(out)

    def d_17(x: Any) -> Any:
        if type(x) is not list:
            raise bad('expected a list')
        out = []
        for v in x:
            u48 = v
            if type(u48) not in (str, int,):
                raise bad('expected str, int')
            w = u48
            out.append(w)
        return tuple(out)

    def d_Choice(x: Any) -> Any:
        if type(x) is not list or len(x) != 11:
            raise bad('expected a Choice of 11 fields')
        n39 = x[0]
        if type(n39) is not int or not 0 <= n39 < count:
            raise bad('expected a string number')
        f0 = strings[n39]
        n40 = x[1]
        if type(n40) is not int or not 0 <= n40 < count:
            raise bad('expected a string number')
        f1 = strings[n40]
        n41 = x[2]
        if type(n41) is not int or not 0 <= n41 < count:
            raise bad('expected a string number')
        f2 = strings[n41]
        o42 = x[3]
        if o42 is None:
            f3 = None
        else:
            if type(o42) is not int or not 0 <= o42 < count:
                raise bad('expected a string number')
            f3 = condition(strings[o42])
        o43 = x[4]
        if o43 is None:
            f4 = None
        else:
            if type(o43) is not int or not 0 <= o43 < count:
                raise bad('expected a string number')
            f4 = strings[o43]
        f5 = x[5]
        if type(f5) is not bool:
            raise bad('expected bool')
        f6 = d_15(x[6])
        n47 = x[7]
        if type(n47) is not int or not 0 <= n47 < count:
            raise bad('expected a string number')
        f7 = strings[n47]
        f8 = d_17(x[8])
        n49 = x[9]
        if type(n49) is not int or not 0 <= n49 < count:
            raise bad('expected a string number')
        f9 = template(strings[n49])
        o50 = x[10]
        if o50 is None:
            f10 = None
        else:
            if type(o50) is not int or not 0 <= o50 < count:
                raise bad('expected a string number')
            f10 = template(strings[o50])
        o = new(_ChoiceFields)
        o.id = f0
        o.text = f1
        o.goto = f2
        o.condition = f3
        o.locked = f4
        o.hidden = f5
        o.effects = f6
        o.file = f7
        o.key = f8
        o.label = f9
        o.outcome = f10
        o.__class__ = Choice  # type: ignore[assignment]
        return o

    def d_13(x: Any) -> Any:
        if type(x) is not list:
            raise bad('expected a list')
        out = []
        for v in x:
            w = d_Choice(v)
            out.append(w)
        return tuple(out)

    def d_Ending(x: Any) -> Any:
        if type(x) is not list or len(x) != 5:
            raise bad('expected a Ending of 5 fields')
        n52 = x[0]
        if type(n52) is not int or not 0 <= n52 < count:
            raise bad('expected a string number')
        f0 = strings[n52]
        n53 = x[1]
        if type(n53) is not int or not 0 <= n53 < count:
            raise bad('expected a string number')
        f1 = strings[n53]
        n54 = x[2]
        if type(n54) is not int or not 0 <= n54 < count:
            raise bad('expected a string number')
        f2 = strings[n54]
        f3 = finite(x[3])
        f4 = x[4]
        if type(f4) is not bool:
            raise bad('expected bool')
        o = new(_EndingFields)
        o.title = f0
        o.history = f1
        o.critic = f2
        o.score = f3
        o.historical = f4
        o.__class__ = Ending  # type: ignore[assignment]
        return o

    def d_Scene(x: Any) -> Any:
        if type(x) is not list or len(x) != 14:
            raise bad('expected a Scene of 14 fields')
        n32 = x[0]
        if type(n32) is not int or not 0 <= n32 < count:
            raise bad('expected a string number')
        f0 = strings[n32]
        n33 = x[1]
        if type(n33) is not int or not 0 <= n33 < count:
            raise bad('expected a string number')
        f1 = strings[n33]
        f2 = moment(x[2])
        n34 = x[3]
        if type(n34) is not int or not 0 <= n34 < count:
            raise bad('expected a string number')
        f3 = strings[n34]
        w35 = x[4]
        if type(w35) is not str or w35 not in WORDS_2:
            raise bad('expected a word')
        f4 = WORDS_2[w35]
        f5 = d_2(x[5])
        n36 = x[6]
        if type(n36) is not int or not 0 <= n36 < count:
            raise bad('expected a string number')
        f6 = strings[n36]
        n37 = x[7]
        if type(n37) is not int or not 0 <= n37 < count:
            raise bad('expected a string number')
        f7 = strings[n37]
        n38 = x[8]
        if type(n38) is not int or not 0 <= n38 < count:
            raise bad('expected a string number')
        f8 = strings[n38]
        f9 = d_13(x[9])
        o51 = x[10]
        if o51 is None:
            f10 = None
        else:
            f10 = d_Ending(o51)
        n55 = x[11]
        if type(n55) is not int or not 0 <= n55 < count:
            raise bad('expected a string number')
        f11 = strings[n55]
        n56 = x[12]
        if type(n56) is not int or not 0 <= n56 < count:
            raise bad('expected a string number')
        f12 = template(strings[n56])
        n57 = x[13]
        if type(n57) is not int or not 0 <= n57 < count:
            raise bad('expected a string number')
        f13 = template(strings[n57])
        o = new(_SceneFields)
        o.id = f0
        o.side = f1
        o.at = f2
        o.title = f3
        o.provenance = f4
        o.sources = f5
        o.text = f6
        o.note = f7
        o.headline = f8
        o.choices = f9
        o.ending = f10
        o.file = f11
        o.body = f12
        o.news = f13
        o.__class__ = Scene  # type: ignore[assignment]
        return o

    def d_11(x: Any) -> Any:
        if type(x) is not dict:
            raise bad('expected an object')
        out = {}
        for k, v in x.items():
            w = d_Scene(v)
            out[share(k, k)] = w
        return out

    def d_19(x: Any) -> Any:
        if type(x) is not dict:
            raise bad('expected an object')
        out = {}
        for k, v in x.items():
            w = d_2(v)
            out[share(k, k)] = w
        return out

    def d_20(x: Any) -> Any:
        if type(x) is not list:
            raise bad('expected a list')
        out = []
        for v in x:
            if type(v) is not int or not 0 <= v < count:
                raise bad('expected a string number')
            w = strings[v]
            out.append(w)
        return frozenset(out)

    def d_21(x: Any) -> Any:
        if type(x) is not dict:
            raise bad('expected an object')
        out = {}
        for k, v in x.items():
            if type(v) is not int or not 0 <= v < count:
                raise bad('expected a string number')
            w = strings[v]
            out[share(k, k)] = w
        return out

    def d_Partner(x: Any) -> Any:
        if type(x) is not list or len(x) != 4:
            raise bad('expected a Partner of 4 fields')
        n61 = x[0]
        if type(n61) is not int or not 0 <= n61 < count:
            raise bad('expected a string number')
        f0 = strings[n61]
        f1 = d_2(x[1])
        f2 = d_2(x[2])
        n62 = x[3]
        if type(n62) is not int or not 0 <= n62 < count:
            raise bad('expected a string number')
        f3 = strings[n62]
        o = new(Partner)
        d = o.__dict__
        d['name'] = f0
        d['domains'] = f1
        d['carries'] = f2
        d['file'] = f3
        return o

    def d_22(x: Any) -> Any:
        if type(x) is not dict:
            raise bad('expected an object')
        out = {}
        for k, v in x.items():
            w = d_Partner(v)
            out[share(k, k)] = w
        return out

    def d_Story(x: Any) -> Any:
        if type(x) is not list or len(x) != 19:
            raise bad('expected a Story of 19 fields')
        n12 = x[0]
        if type(n12) is not int or not 0 <= n12 < count:
            raise bad('expected a string number')
        f0 = strings[n12]
        n13 = x[1]
        if type(n13) is not int or not 0 <= n13 < count:
            raise bad('expected a string number')
        f1 = strings[n13]
        n14 = x[2]
        if type(n14) is not int or not 0 <= n14 < count:
            raise bad('expected a string number')
        f2 = strings[n14]
        f3 = moment(x[3])
        f4 = moment(x[4])
        n15 = x[5]
        if type(n15) is not int or not 0 <= n15 < count:
            raise bad('expected a string number')
        f5 = strings[n15]
        f6 = d_6(x[6])
        f7 = d_0(x[7])
        f8 = d_9(x[8])
        f9 = d_11(x[9])
        f10 = d_19(x[10])
        n58 = x[11]
        if type(n58) is not int or not 0 <= n58 < count:
            raise bad('expected a string number')
        f11 = strings[n58]
        n59 = x[12]
        if type(n59) is not int or not 0 <= n59 < count:
            raise bad('expected a string number')
        f12 = strings[n59]
        f13 = d_2(x[13])
        f14 = d_20(x[14])
        o60 = x[15]
        if o60 is None:
            f15 = None
        else:
            f15 = finite(o60)
        f16 = d_19(x[16])
        f17 = d_21(x[17])
        f18 = d_22(x[18])
        return Story(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15, f16, f17, f18)

    def d_Diagnostic(x: Any) -> Any:
        if type(x) is not list or len(x) != 6:
            raise bad('expected a Diagnostic of 6 fields')
        n63 = x[0]
        if type(n63) is not int or not 0 <= n63 < count:
            raise bad('expected a string number')
        f0 = strings[n63]
        f1 = x[1]
        if type(f1) is not int:
            raise bad('expected int')
        f2 = x[2]
        if type(f2) is not int:
            raise bad('expected int')
        w64 = x[3]
        if type(w64) is not str or w64 not in WORDS_3:
            raise bad('expected a word')
        f3 = WORDS_3[w64]
        n65 = x[4]
        if type(n65) is not int or not 0 <= n65 < count:
            raise bad('expected a string number')
        f4 = strings[n65]
        n66 = x[5]
        if type(n66) is not int or not 0 <= n66 < count:
            raise bad('expected a string number')
        f5 = strings[n66]
        o = new(Diagnostic)
        d = o.__dict__
        d['path'] = f0
        d['line'] = f1
        d['col'] = f2
        d['severity'] = f3
        d['code'] = f4
        d['message'] = f5
        return o

    def d_24(x: Any) -> Any:
        if type(x) is not list:
            raise bad('expected a list')
        out = []
        for v in x:
            w = d_Diagnostic(v)
            out.append(w)
        return tuple(out)

    return d_0, d_Story, d_24, d_Scene
