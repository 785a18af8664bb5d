"""Records written for other systems: edXML (QCVN 102:2016/BTTTT) and the incoming-letter
fields of Phụ lục VI (:mod:`vanthu.exports.edxml`, :mod:`vanthu.exports.phuluc6`)."""
